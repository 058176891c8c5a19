// Diagram: an ER diagram drawn as SVG from GET /schema (a Drizzle snapshot), with zoom and pan.
import {call} from './api.js';
import {add, clear, fill, h, s, tableLink} from './dom.js';

const BOX_WIDTH = 230;
const ROW = 18;
const HEAD = 26;
const GAP_X = 90;
const GAP_Y = 50;

export async function renderDiagram(main, params) {
  const snapshot = await call('/schema');
  const tables = Object.values(snapshot.tables || {}).map(t => ({...t, schemaName: t.schema || 'public'}));
  const schemas = [...new Set(tables.map(t => t.schemaName))].sort();
  const chosen = params.get('schema') || (schemas.includes('public') ? 'public' : schemas[0] || '');
  const select = h('select', {id: 'diagram-schema', 'aria-label': 'Schema'},
    schemas.map(name => h('option', {value: name, text: name, selected: name === chosen})));
  select.addEventListener('change', () => { location.hash = '#/diagram?schema=' + encodeURIComponent(select.value); });
  const shown = tables.filter(t => t.schemaName === chosen);
  const view = new Viewport();
  fill(main, 
    h('h1', {text: 'Diagram'}),
    h('div', {class: 'controls'}, h('label', {for: 'diagram-schema', text: 'Schema '}), select, ' ',
      h('button', {type: 'button', id: 'zoom-in', 'aria-label': 'Zoom in', onclick: () => view.zoomBy(1.25)}, '+'),
      h('button', {type: 'button', id: 'zoom-out', 'aria-label': 'Zoom out', onclick: () => view.zoomBy(0.8)}, '−'),
      h('button', {type: 'button', id: 'zoom-reset', onclick: () => view.reset()}, 'Reset'),
      h('span', {class: 'muted', text: ` ${shown.length} tables · wheel to zoom, drag to pan`})),
    shown.length ? view.build(shown) : h('p', {class: 'muted', text: 'No tables in this schema.'}));
}

function layout(tables) {
  const perRow = Math.max(1, Math.ceil(Math.sqrt(tables.length)));
  const boxes = new Map();
  let y = 20;
  for (let start = 0; start < tables.length; start += perRow) {
    const row = tables.slice(start, start + perRow);
    let height = 0;
    row.forEach((t, i) => {
      const columns = Object.values(t.columns || {});
      const box = {table: t, columns, x: 20 + i * (BOX_WIDTH + GAP_X), y, w: BOX_WIDTH, h: HEAD + columns.length * ROW + 6};
      boxes.set(t.name, box);
      height = Math.max(height, box.h);
    });
    y += height + GAP_Y;
  }
  return boxes;
}

class Viewport {
  constructor() {
    this.scale = 1;
    this.x = 0;
    this.y = 0;
  }

  build(tables) {
    const boxes = layout(tables);
    const content = s('g', {class: 'content'});
    const edges = s('g', {class: 'edges'});
    add(content, edges);
    let width = 0;
    let height = 0;
    for (const box of boxes.values()) {
      width = Math.max(width, box.x + box.w + 20);
      height = Math.max(height, box.y + box.h + 20);
      const link = s('a', {href: tableLink(box.table.schemaName, box.table.name), class: 'er-table', 'aria-label': 'Table ' + box.table.name});
      add(link, s('rect', {x: box.x, y: box.y, width: box.w, height: box.h, rx: 6, class: 'er-box'}),
        s('rect', {x: box.x, y: box.y, width: box.w, height: HEAD, rx: 6, class: 'er-head'}),
        s('text', {x: box.x + 10, y: box.y + 18, class: 'er-title', text: box.table.name}));
      box.columns.forEach((c, i) => {
        const cy = box.y + HEAD + i * ROW + 14;
        add(link, s('text', {x: box.x + 10, y: cy, class: 'er-col' + (c.primaryKey ? ' er-pk' : ''),
          text: (c.primaryKey ? 'PK ' : '') + c.name}),
        s('text', {x: box.x + box.w - 10, y: cy, class: 'er-type', 'text-anchor': 'end', text: c.type + (c.notNull ? '' : '?')}));
      });
      add(content, link);
    }
    for (const box of boxes.values()) {
      for (const fk of Object.values(box.table.foreignKeys || {})) {
        const target = boxes.get(fk.tableTo);
        if (!target || (fk.schemaTo && fk.schemaTo !== box.table.schema && (fk.schemaTo || 'public') !== box.table.schemaName)) continue;
        const fromIndex = Math.max(0, box.columns.findIndex(c => c.name === (fk.columnsFrom || [])[0]));
        const toIndex = Math.max(0, target.columns.findIndex(c => c.name === (fk.columnsTo || [])[0]));
        const y1 = box.y + HEAD + fromIndex * ROW + 10;
        const y2 = target.y + HEAD + toIndex * ROW + 10;
        const rightward = target.x >= box.x + box.w;
        const self = target === box;
        const x1 = rightward || self ? box.x + box.w : box.x;
        const x2 = self ? box.x + box.w : rightward ? target.x : target.x + target.w;
        const bend = self ? 40 : Math.max(30, Math.abs(x2 - x1) / 2);
        const c1 = x1 + (rightward || self ? bend : -bend);
        const c2 = x2 + (rightward && !self ? -bend : bend);
        add(edges, s('path', {d: `M${x1},${y1} C${c1},${y1} ${c2},${y2} ${x2},${y2}`, class: 'er-edge', 'marker-end': 'url(#arrow)'},
          s('title', {text: `${box.table.name}(${(fk.columnsFrom || []).join(', ')}) → ${fk.tableTo}(${(fk.columnsTo || []).join(', ')})`})));
      }
    }
    this.width = width;
    this.height = height;
    this.content = content;
    const svg = s('svg', {id: 'diagram', class: 'diagram', role: 'img', 'aria-label': 'Entity relationship diagram', viewBox: `0 0 ${width} ${height}`},
      s('defs', {}, s('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse'},
        s('path', {d: 'M0,0 L10,5 L0,10 z', class: 'er-arrow'}))),
      content);
    this.svg = svg;
    svg.addEventListener('wheel', (event) => {
      event.preventDefault();
      const point = this.toSvg(event);
      this.zoomBy(event.deltaY < 0 ? 1.1 : 1 / 1.1, point);
    }, {passive: false});
    let drag = null;
    svg.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      drag = {x: event.clientX, y: event.clientY, ox: this.x, oy: this.y, moved: false};
    });
    svg.addEventListener('pointermove', (event) => {
      if (!drag) return;
      const ratio = this.width / Math.max(1, svg.clientWidth);
      const dx = (event.clientX - drag.x) * ratio;
      const dy = (event.clientY - drag.y) * ratio;
      if (Math.abs(dx) + Math.abs(dy) > 3) {
        drag.moved = true;
        svg.classList.add('panning');
        if (!svg.hasPointerCapture(event.pointerId)) svg.setPointerCapture(event.pointerId);
      }
      this.x = drag.ox + dx;
      this.y = drag.oy + dy;
      this.apply();
    });
    const end = () => { setTimeout(() => svg.classList.remove('panning'), 0); drag = null; };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', end);
    // A drag must not follow the link under the pointer.
    svg.addEventListener('click', (event) => { if (svg.classList.contains('panning')) event.preventDefault(); }, true);
    return h('div', {class: 'diagram-wrap'}, svg);
  }

  toSvg(event) {
    const rect = this.svg.getBoundingClientRect();
    const ratio = this.width / Math.max(1, rect.width);
    return {x: (event.clientX - rect.left) * ratio, y: (event.clientY - rect.top) * ratio};
  }

  zoomBy(factor, point) {
    const p = point || {x: this.width / 2, y: this.height / 2};
    const next = Math.min(8, Math.max(0.2, this.scale * factor));
    const applied = next / this.scale;
    this.x = p.x - (p.x - this.x) * applied;
    this.y = p.y - (p.y - this.y) * applied;
    this.scale = next;
    this.apply();
  }

  reset() {
    this.scale = 1;
    this.x = 0;
    this.y = 0;
    this.apply();
  }

  apply() {
    this.content.setAttribute('transform', `translate(${this.x} ${this.y}) scale(${this.scale})`);
    this.svg.dataset.scale = this.scale.toFixed(2);
  }
}
