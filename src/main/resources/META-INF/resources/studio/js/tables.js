// Tables: the list, and one table's structure and rows.
import {call, query} from './api.js';
import {add, clear, errorBox, fill, formatBytes, h, tableLink} from './dom.js';
import {session} from './session.js';

const OPS = [
  ['eq', '='], ['contains', 'contains'], ['gt', '>'], ['gte', '≥'], ['lt', '<'], ['lte', '≤'],
  ['isnull', 'is null'], ['notnull', 'is not null'],
];

export async function renderTables(main) {
  const tables = await call('/studio/api/tables');
  const filter = h('input', {type: 'search', id: 'table-search', placeholder: 'Filter tables', 'aria-label': 'Filter tables'});
  const body = h('tbody');
  const draw = () => {
    clear(body);
    const needle = filter.value.trim().toLowerCase();
    for (const t of tables) {
      if (needle && !(t.schema + '.' + t.name).toLowerCase().includes(needle)) continue;
      add(body, h('tr', {},
        h('td', {text: t.schema}),
        h('td', {}, h('a', {href: tableLink(t.schema, t.name), class: 'table-link', text: t.name})),
        h('td', {text: t.kind}),
        h('td', {class: 'num', text: t.estimatedRows == null ? '—' : t.estimatedRows.toLocaleString()}),
        h('td', {class: 'num', text: formatBytes(t.totalBytes)}),
        h('td', {text: t.hasPrimaryKey ? 'yes' : 'no'})));
    }
  };
  filter.addEventListener('input', draw);
  draw();
  fill(main, 
    h('h1', {text: 'Tables'}),
    h('p', {class: 'muted', text: tables.length + ' relations. Row counts are PostgreSQL estimates.'}),
    filter,
    h('div', {class: 'scroll'}, h('table', {class: 'grid', id: 'tables'},
      h('thead', {}, h('tr', {}, ['Schema', 'Name', 'Kind', 'Est. rows', 'Size', 'Primary key'].map(c => h('th', {scope: 'col', text: c})))),
      body)));
}

export async function renderTable(main, schema, name, params) {
  const info = await call('/studio/api/tables/' + encodeURIComponent(schema) + '/' + encodeURIComponent(name));
  const fkByColumn = new Map();
  for (const fk of info.foreignKeys) {
    if (fk.columns.length === 1) fkByColumn.set(fk.columns[0], fk);
  }
  fill(main, 
    h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'}, h('a', {href: '#/tables', text: 'Tables'}), ' / ', schema, ' / '),
    h('h1', {text: name}),
    h('p', {class: 'muted', text: `${info.kind} in schema ${schema} · about ${info.estimatedRows == null ? '?' : info.estimatedRows.toLocaleString()} rows · ${info.size}`}),
    structure(info, fkByColumn),
    h('section', {id: 'rows-section', 'aria-labelledby': 'rows-heading'}, h('h2', {id: 'rows-heading', text: 'Rows'})));
  const section = document.getElementById('rows-section');
  if (!session.can('reader')) {
    add(section, h('p', {class: 'notice', text: 'Reading rows needs the reader role; this token does not have it.'}));
    return;
  }
  new RowBrowser(section, info, fkByColumn, params).start();
}

function structure(info, fkByColumn) {
  const columns = h('table', {class: 'grid', id: 'columns'},
    h('thead', {}, h('tr', {}, ['Column', 'Type', 'Null', 'Default', 'Keys'].map(c => h('th', {scope: 'col', text: c})))),
    h('tbody', {}, info.columns.map(c => {
      const fk = fkByColumn.get(c.name);
      return h('tr', {},
        h('td', {}, h('code', {text: c.name})),
        h('td', {}, h('code', {text: c.type})),
        h('td', {text: c.notNull ? 'not null' : 'null'}),
        h('td', {}, c.defaultValue ? h('code', {text: c.defaultValue}) : (c.identity ? 'identity ' + c.identity : '')),
        h('td', {}, c.primaryKey ? h('span', {class: 'badge pk', text: 'PK'}) : null, ' ',
          fk ? h('a', {href: tableLink(fk.refSchema, fk.refTable), class: 'fk-link'}, 'FK → ' + fk.refTable + '.' + fk.refColumns.join(',')) : null));
    })));
  const parts = [h('div', {class: 'scroll'}, columns)];
  if (info.indexes.length) {
    parts.push(h('h3', {text: 'Indexes'}), h('ul', {class: 'plain'}, info.indexes.map(i =>
      h('li', {}, h('code', {text: i.definition}), i.primary ? ' (primary)' : i.unique ? ' (unique)' : ''))));
  }
  if (info.foreignKeys.length) {
    parts.push(h('h3', {text: 'Foreign keys'}), h('ul', {class: 'plain'}, info.foreignKeys.map(fk =>
      h('li', {}, h('code', {text: fk.columns.join(', ')}), ' → ',
        h('a', {href: tableLink(fk.refSchema, fk.refTable), text: fk.refSchema + '.' + fk.refTable}),
        ' (' + fk.refColumns.join(', ') + ') on delete ' + fk.onDelete))));
  }
  if (info.referencedBy.length) {
    parts.push(h('h3', {text: 'Referenced by'}), h('ul', {class: 'plain'}, info.referencedBy.map(fk =>
      h('li', {}, h('a', {href: tableLink(fk.schema, fk.table), text: fk.schema + '.' + fk.table}),
        ' (' + fk.columns.join(', ') + ')'))));
  }
  return h('section', {'aria-label': 'Structure'}, h('h2', {text: 'Structure'}), ...parts);
}

/** The rows grid: sort and filters live in the URL hash, the cursor stack in memory. */
class RowBrowser {
  constructor(section, info, fkByColumn, params) {
    this.section = section;
    this.info = info;
    this.fkByColumn = fkByColumn;
    this.sort = params.get('sort') || '';
    this.dir = params.get('dir') || 'asc';
    this.filters = params.getAll('filter');
    this.cursors = [null];
    this.pageIndex = 0;
  }

  start() {
    this.controls = h('div', {class: 'controls'});
    this.result = h('div', {id: 'rows-result'});
    add(this.section, this.controls, this.result);
    this.drawControls();
    this.load();
  }

  navigate(changes) {
    const next = new URLSearchParams();
    const sort = changes.sort !== undefined ? changes.sort : this.sort;
    const dir = changes.dir !== undefined ? changes.dir : this.dir;
    const filters = changes.filters !== undefined ? changes.filters : this.filters;
    if (sort) { next.set('sort', sort); next.set('dir', dir); }
    filters.forEach(f => next.append('filter', f));
    const text = next.toString();
    location.hash = tableLink(this.info.schema, this.info.name) + (text ? '?' + text : '');
  }

  drawControls() {
    const column = h('select', {id: 'filter-column', 'aria-label': 'Filter column'},
      this.info.columns.map(c => h('option', {value: c.name, text: c.name})));
    const op = h('select', {id: 'filter-op', 'aria-label': 'Filter operator'}, OPS.map(([v, label]) => h('option', {value: v, text: label})));
    const value = h('input', {id: 'filter-value', type: 'text', 'aria-label': 'Filter value', placeholder: 'value'});
    op.addEventListener('change', () => { value.disabled = op.value === 'isnull' || op.value === 'notnull'; });
    const form = h('form', {class: 'filter-form', onsubmit: (event) => {
      event.preventDefault();
      const text = op.value + ':' + column.value + (value.disabled ? '' : ':' + value.value);
      this.navigate({filters: [...this.filters, text]});
    }}, h('span', {text: 'Filter '}), column, op, value, h('button', {type: 'submit', id: 'filter-add'}, 'Add filter'));
    const chips = h('ul', {class: 'chips', 'aria-label': 'Active filters'}, this.filters.map((f, i) =>
      h('li', {}, h('code', {text: f}), ' ', h('button', {type: 'button', class: 'link', 'aria-label': 'Remove filter ' + f,
        onclick: () => this.navigate({filters: this.filters.filter((_, j) => j !== i)})}, '✕'))));
    add(this.controls, form, this.filters.length ? chips : null);
  }

  async load(cursor) {
    const q = {limit: 50, sort: this.sort, dir: this.sort ? this.dir : '', filter: this.filters, cursor};
    let page;
    try {
      page = await call('/studio/api/tables/' + encodeURIComponent(this.info.schema) + '/' + encodeURIComponent(this.info.name) + '/rows' + query(q));
    } catch (e) {
      fill(this.result, errorBox(e));
      return;
    }
    this.page = page;
    this.draw();
  }

  draw() {
    const page = this.page;
    const head = h('tr', {}, page.columns.map(c => {
      const sorted = this.sort === c.name;
      const nextDir = sorted && this.dir === 'asc' ? 'desc' : 'asc';
      return h('th', {scope: 'col', 'aria-sort': sorted ? (this.dir === 'asc' ? 'ascending' : 'descending') : 'none'},
        h('button', {type: 'button', class: 'sort', dataset: {column: c.name}, title: 'Sort by ' + c.name,
          onclick: () => this.navigate({sort: c.name, dir: nextDir})},
        c.name, sorted ? (this.dir === 'asc' ? ' ▲' : ' ▼') : ''),
        h('div', {class: 'coltype', text: c.type}));
    }));
    const body = h('tbody', {}, page.rows.map(row => h('tr', {}, row.map((cell, i) => this.cell(page, row, cell, i)))));
    const pager = h('div', {class: 'pager'},
      h('button', {type: 'button', id: 'page-prev', disabled: this.pageIndex === 0, onclick: () => {
        this.pageIndex--; this.load(this.cursors[this.pageIndex]);
      }}, '← Previous'),
      h('span', {id: 'page-number', text: `Page ${this.pageIndex + 1} · ${page.rows.length} rows · ${page.pagination} paging`}),
      h('button', {type: 'button', id: 'page-next', disabled: !page.nextCursor, onclick: () => {
        this.pageIndex++; this.cursors[this.pageIndex] = page.nextCursor; this.load(page.nextCursor);
      }}, 'Next →'));
    fill(this.result, 
      page.rows.length ? h('div', {class: 'scroll'}, h('table', {class: 'grid rows', id: 'rows'}, h('thead', {}, head), body))
        : h('p', {class: 'muted', id: 'no-rows', text: 'No rows match.'}),
      pager);
  }

  cell(page, row, cell, index) {
    const column = page.columns[index];
    if (cell === null) return h('td', {class: 'null', text: 'NULL'});
    if (cell.hex !== undefined && cell.hex !== null) {
      return h('td', {class: 'bytea', title: cell.bytes + ' bytes'},
        h('code', {text: '\\x' + cell.hex + (cell.truncated ? '…' : '')}), h('span', {class: 'muted', text: ` (${cell.bytes} B)`}));
    }
    const td = h('td', {});
    const fk = this.fkByColumn.get(column.name);
    if (fk) {
      const target = tableLink(fk.refSchema, fk.refTable) + '?' + new URLSearchParams({filter: 'eq:' + fk.refColumns[0] + ':' + cell.text});
      add(td, h('a', {href: target, class: 'fk-value', text: cell.text}));
    } else {
      add(td, h('span', {class: 'value', text: cell.text}));
    }
    if (cell.truncated) {
      add(td, '… ');
      if (page.keyColumns.length) {
        add(td, h('button', {type: 'button', class: 'link expand', onclick: () => this.expand(td, row, index)}, 'expand'));
      }
    }
    return td;
  }

  async expand(td, row, index) {
    const filters = this.page.keyColumns.map(k => {
      const position = this.page.columns.findIndex(c => c.name === k);
      return 'eq:' + k + ':' + row[position].text;
    });
    try {
      const full = await call('/studio/api/tables/' + encodeURIComponent(this.info.schema) + '/' + encodeURIComponent(this.info.name)
        + '/rows' + query({filter: filters, textLimit: 100000, limit: 1}));
      const cell = full.rows[0] && full.rows[0][index];
      fill(td, h('pre', {class: 'expanded', text: cell ? cell.text + (cell.truncated ? '…' : '') : 'NULL'}));
    } catch (e) {
      add(td, errorBox(e));
    }
  }
}
