// The actor network from /api/network: who attacks, backs, accuses whom. Force layout (d3-force) in SVG; edge
// width grows with the weight; chips switch edge kinds on and off; clicking an actor filters the events by it.
const d3 = window.d3;

export class Network {
  /** `kinds`: Map of edge kind → colour; `onActor(node)`: an actor was clicked. */
  constructor(container, chipBox, kinds, { onActor }) {
    this.container = container;
    this.chipBox = chipBox;
    this.kinds = kinds;
    this.onActor = onActor;
    this.hidden = new Set();
    this.highlight = null;
    this.data = { nodes: [], edges: [] };
    this.svg = d3.select(container).append('svg').attr('role', 'img').attr('aria-label', 'Actor network');
    this.defs = this.svg.append('defs');
    this.canvas = this.svg.append('g');
    this.svg.call(d3.zoom().scaleExtent([0.2, 5]).on('zoom', (event) => this.canvas.attr('transform', event.transform)));
  }

  /** `network`: {nodes, edges}; `involved`: ids of the actors of the events shown (the others are dimmed). */
  show(network, involved) {
    this.data = network;
    this.highlight = involved;
    this.renderChips();
    this.render();
  }

  colour(kind) {
    return this.kinds.get(kind) || '#8c96a0';
  }

  renderChips() {
    const present = [...new Set(this.data.edges.map((edge) => edge.kind))].sort();
    this.chipBox.replaceChildren(
      ...present.map((kind) => {
        const chip = document.createElement('button');
        chip.type = 'button';
        chip.className = 'chip';
        chip.setAttribute('aria-pressed', String(!this.hidden.has(kind)));
        const line = document.createElement('span');
        line.className = 'line';
        line.style.background = this.colour(kind);
        chip.append(line, kind.replaceAll('_', ' '));
        chip.addEventListener('click', () => {
          if (this.hidden.has(kind)) this.hidden.delete(kind);
          else this.hidden.add(kind);
          chip.setAttribute('aria-pressed', String(!this.hidden.has(kind)));
          this.render();
        });
        return chip;
      }),
    );
  }

  render() {
    const width = this.container.clientWidth || 600;
    const height = this.container.clientHeight || 400;
    this.svg.attr('viewBox', `0 0 ${width} ${height}`);
    this.canvas.selectAll('*').remove();
    if (this.simulation) this.simulation.stop();
    const edges = this.data.edges.filter((edge) => !this.hidden.has(edge.kind)).map((edge) => ({ ...edge }));
    const used = new Set(edges.flatMap((edge) => [edge.source, edge.target]));
    const nodes = this.data.nodes.filter((node) => used.has(node.id)).map((node) => ({ ...node }));
    if (!nodes.length) {
      this.canvas.append('text').attr('class', 'empty').attr('x', width / 2).attr('y', height / 2).attr('text-anchor', 'middle')
        .text('No relations between actors for these dates');
      return;
    }
    this.markers(edges);
    // Several edges between one pair: bend each a little differently so that all stay visible.
    const pairs = d3.group(edges, (edge) => [edge.source, edge.target].sort().join('-'));
    for (const group of pairs.values()) group.forEach((edge, index) => { edge.bend = group.length === 1 ? 0 : (index + 1) * 0.18; });
    const width_ = d3.scaleSqrt().domain([1, d3.max(edges, (edge) => edge.weight) || 1]).range([1.2, 7]);
    const radius = (node) => 5 + 2.2 * Math.sqrt(node.event_count || 0);

    const simulation = d3.forceSimulation(nodes)
      .force('link', d3.forceLink(edges).id((node) => node.id).distance(90).strength(0.4))
      .force('charge', d3.forceManyBody().strength(-260))
      .force('collide', d3.forceCollide().radius((node) => radius(node) + 14))
      .force('x', d3.forceX(width / 2).strength(0.06))
      .force('y', d3.forceY(height / 2).strength(0.09))
      .stop();
    simulation.tick(300);
    this.simulation = simulation;

    const link = this.canvas.append('g').selectAll('path').data(edges).join('path')
      .attr('class', (edge) => `edge${this.dimmed(edge.source) && this.dimmed(edge.target) ? ' dim' : ''}`)
      .attr('stroke', (edge) => this.colour(edge.kind))
      .attr('stroke-width', (edge) => width_(edge.weight))
      .attr('marker-end', (edge) => `url(#arrow-${edge.kind})`);
    link.append('title').text((edge) =>
      `${edge.source.name} ${edge.kind.replaceAll('_', ' ')} ${edge.target.name}: ${edge.weight} ${edge.origin === 'relation' ? 'document(s)' : 'event(s)'}` +
      `${edge.first_date ? `, ${edge.first_date}` : ''}${edge.last_date && edge.last_date !== edge.first_date ? ` … ${edge.last_date}` : ''}`);

    const node = this.canvas.append('g').selectAll('g').data(nodes).join('g')
      .attr('class', (item) => `node${this.dimmed(item) ? ' dim' : ''}`)
      .attr('tabindex', 0)
      .on('click', (event, item) => this.onActor(item))
      .on('keydown', (event, item) => { if (event.key === 'Enter') this.onActor(item); })
      .call(d3.drag()
        .on('start', (event, item) => { if (!event.active) simulation.alphaTarget(0.2).restart(); item.fx = item.x; item.fy = item.y; })
        .on('drag', (event, item) => { item.fx = event.x; item.fy = event.y; })
        .on('end', (event, item) => { if (!event.active) simulation.alphaTarget(0); item.fx = null; item.fy = null; }));
    node.append('circle').attr('r', radius).attr('fill', (item) => sectorColour(item.sector));
    node.append('text').attr('x', (item) => radius(item) + 3).attr('y', 4).text((item) => item.name);
    node.append('title').text((item) =>
      `${item.name}${item.code ? ` (${item.code})` : ''} · ${[item.country, item.sector, item.type].filter(Boolean).join(' · ')} · ${item.event_count} event(s)`);

    const draw = () => {
      link.attr('d', (edge) => arc(edge, radius(edge.target)));
      node.attr('transform', (item) => `translate(${item.x},${item.y})`);
    };
    draw();
    simulation.on('tick', draw);
  }

  dimmed(node) {
    return this.highlight !== null && !this.highlight.has(node.id);
  }

  markers(edges) {
    const kinds = [...new Set(edges.map((edge) => edge.kind))];
    this.defs.selectAll('marker').data(kinds, (kind) => kind).join('marker')
      .attr('id', (kind) => `arrow-${kind}`)
      .attr('viewBox', '0 -5 10 10').attr('refX', 9).attr('refY', 0)
      .attr('orient', 'auto')
      .attr('markerUnits', 'userSpaceOnUse').attr('markerWidth', 9).attr('markerHeight', 9)
      .selectAll('path').data((kind) => [kind]).join('path').attr('d', 'M0,-5L10,0L0,5').attr('fill', (kind) => this.colour(kind));
  }
}

/** An edge from its source to the rim of its target, bent by `edge.bend`. */
function arc(edge, targetRadius) {
  const { x: x1, y: y1 } = edge.source;
  const { x: x2, y: y2 } = edge.target;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const length = Math.hypot(dx, dy) || 1;
  const mx = (x1 + x2) / 2 - dy * edge.bend;
  const my = (y1 + y2) / 2 + dx * edge.bend;
  // Stop at the target's rim, along the direction from the control point.
  const cx = x2 - mx;
  const cy = y2 - my;
  const along = Math.hypot(cx, cy) || length;
  const ex = x2 - (cx / along) * (targetRadius + 2);
  const ey = y2 - (cy / along) * (targetRadius + 2);
  return `M${x1},${y1}Q${mx},${my} ${ex},${ey}`;
}

// Node colours by the actor's sector (the actor dictionary's codes); others grey.
const SECTORS = {
  GOV: '#4e79a7', MIL: '#59606b', COP: '#3b5b92', SPY: '#2f3b4c', LEG: '#76b7b2', JUD: '#5f9ea0',
  REB: '#e15759', PRM: '#a4161a', CRM: '#8c564b', UAF: '#8c6d31', OPP: '#b07aa1', PTY: '#9c6fb6',
  IGO: '#f28e2b', NGO: '#59a14f', JRN: '#bab0ac', CVL: '#edc948', ELI: '#d4a6c8', REL: '#ff9da7',
};

function sectorColour(sector) {
  return SECTORS[sector] || '#9aa5b1';
}
