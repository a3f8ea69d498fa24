// The map: Leaflet over an offline basemap of country borders (Natural Earth via world-atlas, converted with
// topojson-client), events as clustered markers coloured by PLOVER type, contested events ringed in red.
// Popups are DOM nodes built with textContent: no article text is ever handed to Leaflet as HTML.
import { el } from './dom.js';
import { claimWords, place, when, who } from './format.js';

const L = window.L;
const BASEMAP = '/static/vendor/world-atlas/countries-50m.json';
const BASEMAP_ATTRIBUTION = 'Borders: Natural Earth (public domain), world-atlas';

export class EventMap {
  /** `types`: Map of PLOVER type → {colour, description}; `onOpen(id)`: show an event in the panel. */
  constructor(container, types, { onOpen, tiles }) {
    this.types = types;
    this.onOpen = onOpen;
    this.markers = new Map();
    this.tiles = tiles || null;
    // Borders alone say little closer than zoom 10; a tile layer allows more.
    const maxZoom = this.tiles ? 18 : 10;
    this.map = L.map(container, { worldCopyJump: true, minZoom: 2, maxZoom, zoomSnap: 0.5 }).setView([30, 30], 3);
    this.map.attributionControl.setPrefix('Leaflet');
    if (this.tiles) {
      L.tileLayer(this.tiles, { maxZoom: 19, attribution: 'Tiles: as set by the user (?tiles=)' }).addTo(this.map);
    }
    this.clusters = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 40,
      spiderfyOnMaxZoom: true,
      chunkedLoading: true,
      iconCreateFunction: (cluster) => this.clusterIcon(cluster),
    });
    this.clusters.addTo(this.map);
    this.legend = this.addLegend();
  }

  /** Draw the country borders from the vendored TopoJSON (a canvas layer under the markers). */
  async loadBasemap() {
    const response = await fetch(BASEMAP);
    if (!response.ok) throw new Error(`basemap: ${response.status}`);
    const topology = await response.json();
    const countries = window.topojson.feature(topology, topology.objects.countries);
    const style = this.tiles
      ? { color: '#5b6670', weight: 1, fill: false }
      : { color: '#b8b2a4', weight: 0.8, fillColor: '#f7f5ef', fillOpacity: 1 };
    L.geoJSON(countries, { style, interactive: false, renderer: L.canvas({ padding: 0.5 }), attribution: BASEMAP_ATTRIBUTION }).addTo(this.map);
  }

  colour(type) {
    return this.types.get(type)?.colour || '#777777';
  }

  /** Replace the markers with `events` (those with coordinates) and fit the view to them. */
  show(events) {
    this.clusters.clearLayers();
    this.markers.clear();
    const layers = [];
    for (const event of events) {
      const location = event.location;
      if (!location || location.lat === null || location.lat === undefined || location.lon === null) continue;
      const marker = L.marker([location.lat, location.lon], {
        icon: this.markerIcon(event),
        title: `${event.type} · ${when(event.date)} · ${who(event)}`,
        alt: event.type,
        riseOnHover: true,
      });
      marker.event = event;
      // No autoPan: Leaflet 1.9 pans a popup after it opened and fails when a re-render (a new query, a
      // cluster change) removed it meanwhile; zoomToShowLayer already brings the marker into view.
      marker.bindPopup(() => this.popup(event), { maxWidth: 320, autoPan: false });
      marker.on('click', () => this.onOpen(event.id));
      this.markers.set(event.id, marker);
      layers.push(marker);
    }
    this.clusters.addLayers(layers);
    this.updateLegend(events);
    if (layers.length) {
      const bounds = L.latLngBounds(layers.map((marker) => marker.getLatLng()));
      this.map.fitBounds(bounds.pad(0.4), { maxZoom: 7, animate: false });
    }
    return layers.length;
  }

  markerIcon(event, selected = false) {
    const dot = el('span', { className: 'event-dot', style: { background: this.colour(event.type) } });
    const classes = ['event-marker', `type-${event.type}`];
    if (event.contested) classes.push('contested');
    if (selected) classes.push('selected');
    return L.divIcon({ html: dot, className: classes.join(' '), iconSize: [14, 14], popupAnchor: [0, -8] });
  }

  clusterIcon(cluster) {
    const children = cluster.getAllChildMarkers();
    const counts = new Map();
    let contested = false;
    for (const marker of children) {
      counts.set(marker.event.type, (counts.get(marker.event.type) || 0) + 1);
      contested ||= marker.event.contested;
    }
    let angle = 0;
    const stops = [];
    for (const [type, count] of [...counts].sort((a, b) => b[1] - a[1])) {
      const next = angle + (360 * count) / children.length;
      stops.push(`${this.colour(type)} ${angle}deg ${next}deg`);
      angle = next;
    }
    const size = children.length < 10 ? 32 : children.length < 100 ? 38 : 46;
    const face = el('span', { style: { background: `conic-gradient(${stops.join(', ')})` } }, el('b', { text: children.length }));
    face.title = `${children.length} events${contested ? ', some contested' : ''}`;
    return L.divIcon({ html: face, className: `event-cluster${contested ? ' contested' : ''}`, iconSize: [size, size] });
  }

  popup(event) {
    const claims = event.claims || [];
    return el(
      'div',
      { className: 'popup' },
      el('div', { className: 'popup-title' }, el('span', { className: 'swatch', style: { background: this.colour(event.type) } }), event.type,
        event.acled_sub_event_type ? el('span', { className: 'badge', text: event.acled_sub_event_type }) : null,
        event.contested ? el('span', { className: 'badge contested', text: 'contested' }) : null),
      el('p', { text: `${when(event.date)} · ${place(event)}` }),
      el('p', {}, el('strong', { text: 'Actors: ' }), who(event)),
      claims.length ? el('p', {}, el('strong', { text: 'Claims: ' }), claims.map(claimWords).join('; ')) : null,
      el('button', { type: 'button', text: 'Open reports', on: { click: () => this.onOpen(event.id) } }),
    );
  }

  /** Mark the selected event's marker and bring it into view. */
  select(id, { reveal = false } = {}) {
    for (const [markerId, marker] of this.markers) {
      const selected = markerId === id;
      if (selected || marker.options.icon.options.className.includes('selected')) marker.setIcon(this.markerIcon(marker.event, selected));
    }
    const marker = this.markers.get(id);
    if (marker && reveal) this.clusters.zoomToShowLayer(marker, () => marker.openPopup());
  }

  addLegend() {
    const control = L.control({ position: 'bottomright' });
    control.onAdd = () => {
      const box = el('div', { className: 'legend', 'aria-label': 'Legend' });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(this.map);
    return control;
  }

  updateLegend(events) {
    const counts = new Map();
    for (const event of events) if (event.location) counts.set(event.type, (counts.get(event.type) || 0) + 1);
    const row = (type, info, count) =>
      el('div', { className: 'legend-row', title: info.description, dataset: { type } },
        el('span', { className: 'swatch', style: { background: info.colour } }), count ? `${type} (${count})` : type);
    const shown = [...this.types].filter(([type]) => counts.has(type));
    const others = [...this.types].filter(([type]) => !counts.has(type));
    this.legend.getContainer().replaceChildren(
      el('h3', { text: 'PLOVER event type' }),
      ...shown.map(([type, info]) => row(type, info, counts.get(type))),
      el('div', { className: 'legend-row' }, el('span', { className: 'swatch contested' }), 'contested (claims disagree)'),
      others.length ? el('details', {}, el('summary', { text: `${others.length} other types` }), ...others.map(([type, info]) => row(type, info, 0))) : null,
    );
  }

  /** Read-only view for tests and the console: each marker's event id and position (where it stands when not
   * fanned out by a spiderfied cluster). */
  positions() {
    return [...this.markers].map(([id, marker]) => {
      const position = marker._preSpiderfyLatlng || marker.getLatLng();
      return { id, lat: position.lat, lon: position.lng };
    });
  }

  invalidate() {
    this.map.invalidateSize();
  }
}
