// The list of events shown: one row per event (type, date, actors, place, sentence); a click opens it.
import { el, replaceChildren } from './dom.js';
import { place, when, who } from './format.js';

const ROWS = 500; // rows drawn at once; the map and timeline take every event

export class EventList {
  constructor(container, counter, types, { onOpen }) {
    this.container = container;
    this.counter = counter;
    this.types = types;
    this.onOpen = onOpen;
    this.selected = null;
  }

  show(events, { truncated, located }) {
    this.counter.textContent =
      `${events.length}${truncated ? '+' : ''} event${events.length === 1 ? '' : 's'} · ${located} on the map`;
    const rows = events.slice(0, ROWS).map((event) => this.row(event));
    if (!events.length) rows.push(el('li', { className: 'more', text: 'No events match these filters.' }));
    if (events.length > ROWS || truncated) {
      rows.push(el('li', { className: 'more', text: `Showing the first ${Math.min(ROWS, events.length)}: narrow the filters to see the rest.` }));
    }
    replaceChildren(this.container, rows);
  }

  row(event) {
    const colour = this.types.get(event.type)?.colour || '#777';
    const open = () => this.onOpen(event.id, { reveal: true });
    return el('li', {
      className: `event-row${event.id === this.selected ? ' selected' : ''}`,
      tabindex: 0,
      dataset: { eventId: event.id },
      on: { click: open, keydown: (key) => { if (key.key === 'Enter' || key.key === ' ') { key.preventDefault(); open(); } } },
    },
    el('span', { className: 'row-head' },
      el('span', { className: 'type-chip' }, el('span', { className: 'swatch', style: { background: colour } }), event.type),
      event.contested ? el('span', { className: 'badge contested', text: 'contested' }) : null,
      el('span', { className: 'row-meta', text: `${when(event.date)} · ${place(event)}` })),
    el('span', { className: 'row-actors', text: who(event) }),
    el('span', { className: 'row-sentence', text: event.sentence || '' }));
  }

  select(id) {
    this.selected = id;
    for (const row of this.container.querySelectorAll('.event-row')) {
      row.classList.toggle('selected', Number(row.dataset.eventId) === id);
    }
  }
}
