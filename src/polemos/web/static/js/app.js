// polemos web page: the filter bar drives the map, the timeline, the actor network and the list; a click on a
// marker or a row opens the event panel. Talks only to this server's /api. Vendored libraries (Leaflet,
// leaflet.markercluster, topojson-client, d3) are loaded as classic scripts before this module runs.
import { allEvents, getJSON } from './api.js';
import { el, replaceChildren } from './dom.js';
import { EventList } from './list.js';
import { EventMap } from './map.js';
import { Network } from './network.js';
import { EventPanel } from './panel.js';
import { Timeline } from './timeline.js';

const FIELDS = ['actor', 'type', 'country', 'since', 'until', 'claimed_by', 'text', 'contested'];
const TILES_KEY = 'polemos.tiles';
const CHANGE_DELAY_MS = 300;

const $ = (selector) => document.querySelector(selector);

/** The filters in the form, as API query parameters (empty ones left out). */
function readFilters(form) {
  const data = new FormData(form);
  const filters = {};
  for (const field of FIELDS) {
    const value = field === 'contested' ? (data.get('contested') ? 'true' : '') : String(data.get(field) || '').trim();
    if (value) filters[field] = field === 'country' ? value.toUpperCase() : value;
  }
  return filters;
}

function writeFilters(form, filters) {
  for (const field of FIELDS) {
    const input = form.elements.namedItem(field);
    if (field === 'contested') input.checked = filters.contested === 'true';
    else input.value = filters[field] || '';
  }
}

/** The tile URL template the user set (`?tiles=<url>` stores it, `?tiles=off` forgets it); none by default. */
function tileTemplate(params) {
  if (params.has('tiles')) {
    const value = params.get('tiles').trim();
    if (!value || value === 'off') localStorage.removeItem(TILES_KEY);
    else localStorage.setItem(TILES_KEY, value);
  }
  const template = localStorage.getItem(TILES_KEY);
  return template && /^https?:\/\/[^\s]+\{z\}[^\s]*$/i.test(template) ? template : null;
}

class App {
  constructor(config) {
    this.types = new Map(config.types.map((entry) => [entry.type, entry]));
    this.kinds = new Map(config.edge_kinds.map((entry) => [entry.kind, entry.colour]));
    this.form = $('#filters');
    this.status = $('#status');
    this.sequence = 0;
    this.loads = 0;
    this.openId = null;
    const params = new URLSearchParams(window.location.search);
    const filters = Object.fromEntries(FIELDS.filter((field) => params.get(field)).map((field) => [field, params.get(field)]));
    writeFilters(this.form, filters);
    const open = (id, options) => this.open(id, options);
    this.map = new EventMap($('#map'), this.types, { onOpen: open, tiles: tileTemplate(params) });
    this.timeline = new Timeline($('#timeline'), this.types, { onBrush: (since, until) => this.brushed(since, until) });
    this.network = new Network($('#network'), $('#network-kinds'), this.kinds, { onActor: (node) => this.filterActor(node) });
    this.list = new EventList($('#event-list'), $('#list-count'), this.types, { onOpen: open });
    this.panel = new EventPanel($('#event-panel'), this.types);
    this.bindForm();
    replaceChildren($('#event-types'), [...this.types.keys()].map((type) => el('option', { value: type })));
  }

  bindForm() {
    let timer = null;
    const applyNow = () => {
      clearTimeout(timer);
      if (!this.form.reportValidity()) return;
      this.refresh();
    };
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      applyNow();
    });
    this.form.addEventListener('change', () => {
      clearTimeout(timer);
      timer = setTimeout(applyNow, CHANGE_DELAY_MS);
    });
    this.form.addEventListener('reset', () => setTimeout(applyNow, 0));
  }

  async start() {
    const basemap = this.map.loadBasemap().then(
      () => { document.body.dataset.basemap = 'ready'; },
      (error) => this.say(`Basemap not loaded: ${error.message}`, true),
    );
    this.loadActorNames();
    await Promise.all([basemap, this.refresh()]);
  }

  async loadActorNames() {
    try {
      const { actors } = await getJSON('actors', { limit: 500 });
      const names = new Set();
      for (const actor of actors) {
        names.add(actor.name);
        if (actor.code) names.add(actor.code);
      }
      replaceChildren($('#actor-names'), [...names].sort().map((name) => el('option', { value: name })));
    } catch {
      // the datalist only helps typing; the filters work without it
    }
  }

  say(message, error = false) {
    this.status.textContent = message;
    this.status.classList.toggle('error', error);
  }

  /** Query the API for the filters and redraw every view. `timeline`: the timeline too (not after a brush). */
  async refresh({ timeline = true } = {}) {
    const sequence = ++this.sequence;
    const filters = readFilters(this.form);
    const { since, until, ...undated } = filters;
    history.replaceState(null, '', `${window.location.pathname}${Object.keys(filters).length ? `?${new URLSearchParams(filters)}` : ''}`);
    document.body.dataset.state = 'loading';
    this.say('Loading…');
    try {
      const [found, days, network] = await Promise.all([
        allEvents(filters),
        timeline ? getJSON('timeline', undated) : null,
        getJSON('network', { since, until, limit: 300 }),
      ]);
      if (sequence !== this.sequence) return; // a newer query has started
      const located = this.map.show(found.events);
      this.list.show(found.events, { truncated: found.truncated, located });
      if (days) this.timeline.show(days.days, { since, until });
      else this.timeline.setRange({ since, until });
      const narrowed = Object.keys(undated).length > 0;
      const involved = narrowed ? new Set(found.events.flatMap((event) => [...event.source, ...event.target].map((actor) => actor.id))) : null;
      this.network.show(network, involved);
      this.list.select(this.openId);
      this.say(`${found.events.length}${found.truncated ? '+' : ''} events · ${located} located · ${network.nodes.length} actors, ${network.edges.length} relations`);
      this.loads += 1;
      document.body.dataset.state = 'ready';
    } catch (error) {
      if (sequence !== this.sequence) return;
      this.say(error.message, true);
      document.body.dataset.state = 'error';
    }
  }

  brushed(since, until) {
    this.form.elements.namedItem('since').value = since || '';
    this.form.elements.namedItem('until').value = until || '';
    this.refresh({ timeline: false });
  }

  filterActor(node) {
    this.form.elements.namedItem('actor').value = node.code || node.name;
    this.refresh();
  }

  /** Show one event in the panel (with its reports); `reveal`: also bring its marker into view. */
  async open(id, { reveal = false } = {}) {
    this.openId = id;
    this.list.select(id);
    this.map.select(id, { reveal });
    this.panel.loading(id);
    document.body.dataset.panel = 'loading';
    try {
      const event = await getJSON(`events/${id}`);
      if (this.openId !== id) return;
      this.panel.show(event);
      document.body.dataset.panel = String(id);
    } catch (error) {
      this.panel.error(error.message);
      document.body.dataset.panel = 'error';
    }
  }
}

async function main() {
  const response = await fetch('/static/plover-types.json');
  const app = new App(await response.json());
  // A read-only view for tests and the browser console.
  window.polemos = Object.freeze({
    markers: () => app.map.positions(),
    loads: () => app.loads,
    open: (id) => app.open(id),
  });
  await app.start();
}

main().catch((error) => {
  const status = document.getElementById('status');
  status.textContent = `The page could not start: ${error.message}`;
  status.classList.add('error');
  document.body.dataset.state = 'error';
});
