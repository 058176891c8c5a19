// Drift: GET /schema/diff grouped by table, each group with the repair statements that touch it.
import {call} from './api.js';
import {add, clear, fill, h, tableLink} from './dom.js';
import {highlight} from './sql.js';

const TABLE_LEVEL = new Set(['column', 'index', 'foreignKey', 'primaryKey', 'unique', 'check', 'policy']);

function groupOf(d) {
  const parts = d.name.split('.');
  if (d.objectKind === 'table') return {key: parts.slice(0, 2).join('.'), schema: parts[0], table: parts[1]};
  if (TABLE_LEVEL.has(d.objectKind) && parts.length >= 3) return {key: parts.slice(0, 2).join('.'), schema: parts[0], table: parts[1]};
  return {key: d.objectKind + ' ' + d.name};
}

function comparisonText(diff) {
  if (diff.comparison === 'replay' && diff.replay) {
    const r = diff.replay;
    return `Compared with what the history's SQL produces, replayed in a sandbox up to ${r.lastTag || 'its start'}`
      + ` (${r.entries} entr${r.entries === 1 ? 'y' : 'ies'}${r.replayedNow ? `, ${r.replayedNow} replayed now` : ', kept replay'})`;
  }
  return `Comparison: ${diff.comparison || '?'}` + (diff.snapshot ? ` · snapshot ${diff.snapshot}` : '');
}

export async function renderDrift(main) {
  const diff = await call('/schema/diff');
  const groups = new Map();
  for (const d of diff.differences) {
    const g = groupOf(d);
    if (!groups.has(g.key)) groups.set(g.key, {...g, items: []});
    groups.get(g.key).items.push(d);
  }
  const sql = diff.sql || [];
  const used = new Set();
  const sections = [...groups.values()].map(g => {
    const statements = g.table ? sql.filter((st, i) => {
      const hit = st.includes('"' + g.table + '"');
      if (hit) used.add(i);
      return hit;
    }) : [];
    return h('section', {class: 'drift-group card'},
      h('h2', {}, g.table ? h('a', {href: tableLink(g.schema, g.table), text: g.key}) : g.key),
      h('ul', {class: 'plain'}, g.items.map(d => h('li', {class: 'change-' + d.change},
        h('span', {class: 'badge change', text: d.change}), ' ', d.objectKind + ' ', h('code', {text: d.name}),
        d.attribute ? ` ${d.attribute}: expected ` : '', d.attribute ? h('code', {text: d.expected ?? 'none'}) : null,
        d.attribute ? ', actual ' : '', d.attribute ? h('code', {text: d.actual ?? 'none'}) : null))),
      statements.length ? h('div', {}, h('h3', {text: 'Repair'}), highlight(statements.join('\n'))) : null);
  });
  const rest = sql.filter((_, i) => !used.has(i));
  fill(main, 
    h('h1', {text: 'Drift'}),
    h('p', {class: diff.inSync ? 'ok' : 'error', id: 'drift-status',
      text: diff.inSync ? 'In sync: the database matches what the migration history expects.'
        : `${diff.differences.length} difference(s) between the history (${diff.from}) and the ${diff.to}.`}),
    h('p', {class: 'muted', id: 'drift-comparison', text: comparisonText(diff)}),
    (diff.pending || []).length ? h('p', {class: 'muted', id: 'drift-pending',
      text: `${diff.pending.length} entr${diff.pending.length === 1 ? 'y is' : 'ies are'} not applied yet; they are not drift (see Migrations).`}) : null,
    (diff.warnings || []).length ? h('ul', {class: 'warnings'}, diff.warnings.map(w => h('li', {text: w}))) : null,
    h('div', {id: 'drift-groups'}, sections),
    rest.length ? h('section', {class: 'card'}, h('h2', {text: 'Other repair statements'}), highlight(rest.join('\n'))) : null,
    sql.length ? h('p', {class: 'muted', text: 'The repair SQL makes the database match the history; review it before running it by hand.'}) : null);
}
