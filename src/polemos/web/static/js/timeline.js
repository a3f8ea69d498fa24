// The timeline: events per day, stacked by PLOVER type (SVG with d3), with a brush to choose the date range.
const d3 = window.d3;
const MARGIN = { top: 8, right: 12, bottom: 22, left: 32 };
const DAY = 86400000;

/** Ticks on whole days (or weeks, months, years when the range is long), about one per 80 pixels, and their
 * format. */
function dayTicks(start, end, width) {
  const days = (end - start) / DAY;
  const step = Math.max(1, Math.ceil(days / Math.max(2, Math.floor(width / 80))));
  if (step > 180) return [d3.utcYear.every(Math.ceil(step / 365)), d3.utcFormat('%Y')];
  if (step > 20) return [d3.utcMonth.every(Math.ceil(step / 30)), d3.utcFormat('%b %Y')];
  if (step > 5) return [d3.utcWeek.every(Math.ceil(step / 7)), d3.utcFormat('%b %-d')];
  return [d3.utcDay.every(step), d3.utcFormat('%b %-d')];
}

const iso = (date) => date.toISOString().slice(0, 10);
const parseDay = (text) => new Date(`${text}T00:00:00Z`);

export class Timeline {
  /** `types`: Map of type → {colour}; `onBrush(since, until)`: ISO dates, or nulls when the brush is cleared. */
  constructor(container, types, { onBrush }) {
    this.container = container;
    this.types = types;
    this.onBrush = onBrush;
    this.days = [];
    this.range = { since: null, until: null };
    this.svg = d3.select(container).append('svg').attr('role', 'img').attr('aria-label', 'Events per day by type');
    new ResizeObserver(() => this.render()).observe(container);
  }

  /** `days`: [{date, type, count}] from /api/timeline; `range`: the chosen dates to show on the brush. */
  show(days, range) {
    this.days = days;
    this.range = range;
    this.render();
  }

  setRange(range) {
    this.range = range;
    this.moveBrush();
  }

  render() {
    const width = this.container.clientWidth;
    const height = this.container.clientHeight;
    if (!width || !height) return;
    const svg = this.svg.attr('viewBox', `0 0 ${width} ${height}`);
    svg.selectAll('*').remove();
    if (!this.days.length) {
      svg.append('text').attr('class', 'empty').attr('x', width / 2).attr('y', height / 2).attr('text-anchor', 'middle')
        .text('No dated events for these filters');
      this.brush = null;
      return;
    }
    const order = [...this.types.keys()];
    const byDay = d3.rollup(this.days, (rows) => new Map(rows.map((row) => [row.type, row.count])), (row) => row.date);
    const dates = [...byDay.keys()].sort();
    const first = parseDay(dates[0]);
    const last = parseDay(dates[dates.length - 1]);
    const start = new Date(first.getTime() - DAY);
    const end = new Date(Math.max(last.getTime() + 2 * DAY, start.getTime() + 7 * DAY));
    const x = d3.scaleUtc().domain([start, end]).range([MARGIN.left, width - MARGIN.right]);
    const rows = dates.map((date) => ({ date, counts: byDay.get(date) }));
    const present = order.filter((type) => rows.some((row) => row.counts.has(type)));
    const extra = [...new Set(this.days.map((row) => row.type))].filter((type) => !order.includes(type));
    const stack = d3.stack().keys([...present, ...extra]).value((row, type) => row.counts.get(type) || 0)(rows);
    const top = d3.max(stack.at(-1), (point) => point[1]) || 1;
    const y = d3.scaleLinear().domain([0, top]).nice().range([height - MARGIN.bottom, MARGIN.top]);
    const barWidth = Math.max(1, x(new Date(start.getTime() + DAY)) - x(start) - 1);

    const [interval, format] = dayTicks(start, end, width);
    svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${height - MARGIN.bottom})`)
      .call(d3.axisBottom(x).ticks(interval).tickFormat(format).tickSizeOuter(0));
    svg.append('g').attr('class', 'axis').attr('transform', `translate(${MARGIN.left},0)`)
      .call(d3.axisLeft(y).ticks(Math.min(4, top)).tickFormat(d3.format('d')));
    const layers = svg.append('g').attr('class', 'bars').selectAll('g').data(stack).join('g')
      .attr('fill', (layer) => this.types.get(layer.key)?.colour || '#777');
    layers.selectAll('rect')
      .data((layer) => layer.filter((point) => point[1] > point[0]).map((point) => ({ point, type: layer.key })))
      .join('rect')
      .attr('x', ({ point }) => x(parseDay(point.data.date)))
      .attr('width', barWidth)
      .attr('y', ({ point }) => y(point[1]))
      .attr('height', ({ point }) => y(point[0]) - y(point[1]))
      .append('title').text(({ point, type }) => `${point.data.date} · ${type}: ${point[1] - point[0]}`);

    this.x = x;
    this.brush = d3.brushX().extent([[MARGIN.left, MARGIN.top], [width - MARGIN.right, height - MARGIN.bottom]])
      .on('end', (event) => this.brushed(event));
    this.brushLayer = svg.append('g').attr('class', 'brush').call(this.brush);
    this.brushLayer.on('dblclick', () => {
      this.brushLayer.call(this.brush.move, null);
      this.onBrush(null, null);
    });
    this.moveBrush();
  }

  moveBrush() {
    if (!this.brush) return;
    const { since, until } = this.range;
    if (!since && !until) {
      this.brushLayer.call(this.brush.move, null);
      return;
    }
    const [lo, hi] = this.x.domain();
    const from = since ? parseDay(since) : lo;
    const to = until ? new Date(parseDay(until).getTime() + DAY) : hi;
    const left = Math.max(this.x(from), this.x.range()[0]);
    const right = Math.min(this.x(to), this.x.range()[1]);
    this.brushLayer.call(this.brush.move, right > left ? [left, right] : null);
  }

  brushed(event) {
    if (!event.sourceEvent) return; // moved by the program, not the user
    if (!event.selection) {
      this.onBrush(null, null);
      return;
    }
    const [from, to] = event.selection.map((pixel) => d3.utcDay.round(this.x.invert(pixel)));
    const until = new Date(Math.max(to.getTime() - DAY, from.getTime()));
    this.brushLayer.call(this.brush.move, [this.x(from), this.x(new Date(until.getTime() + DAY))]);
    this.onBrush(iso(from), iso(until));
  }
}
