// Migrations: the history's timeline with states, each entry's SQL, the folder check, the lock and the upgrade to drizzle 1.0.
import {call} from './api.js';
import {add, clear, errorBox, fill, formatTime, h} from './dom.js';
import {highlight} from './sql.js';
import {session} from './session.js';

const FORMATS = {journal: 'journal (drizzle-kit 0.x)', directories: 'directories (drizzle-kit 1.0)'};

const STATE_HELP = {
  applied: 'a tracking row with this entry\'s when and hash exists',
  pending: 'not applied, newer than everything applied',
  changed: 'applied, but the file was edited since',
  'out-of-order': 'not applied, at or below the newest applied entry: drizzle would skip it',
  moved: 'its SQL was recorded under another created_at',
  ambiguous: 'tracking rows cannot be assigned to entries uniquely',
};

export async function renderMigrations(main, openTag) {
  const [history, check, lock] = await Promise.all([
    call('/migrations'),
    call('/migrations/check').catch(e => ({error: e})),
    call('/migrations/lock').catch(e => ({error: e})),
  ]);
  const counts = history.counts;
  const timeline = h('ol', {class: 'timeline', id: 'timeline'}, history.migrations.map(m => entry(m, m.tag === openTag)));
  fill(main, 
    h('h1', {text: 'Migrations'}),
    h('p', {class: 'muted', text: `${counts.total} entries: ${counts.applied} applied, ${counts.pending} pending`
      + (counts.changed ? `, ${counts.changed} changed` : '') + (counts.outOfOrder ? `, ${counts.outOfOrder} out of order` : '')
      + (counts.moved ? `, ${counts.moved} moved` : '') + (counts.ambiguous ? `, ${counts.ambiguous} ambiguous` : '')
      + ` · tracking table ${history.trackingTable} · folder ${FORMATS[history.folderFormat] || history.folderFormat}`}),
    history.warnings.length ? h('ul', {class: 'warnings'}, history.warnings.map(w => h('li', {text: w.message}))) : null,
    timeline,
    h('div', {class: 'two'}, checkSection(check), lockSection(lock)),
    upgradeSection(history, check));
  const open = timeline.querySelector('li.open button.sql-toggle');
  if (open) open.click();
}

function entry(m, open) {
  const detail = h('div', {class: 'sql-detail', hidden: true});
  const toggle = h('button', {type: 'button', class: 'sql-toggle', 'aria-expanded': 'false', dataset: {tag: m.tag}, onclick: async () => {
    const expanded = toggle.getAttribute('aria-expanded') === 'true';
    toggle.setAttribute('aria-expanded', String(!expanded));
    detail.hidden = expanded;
    if (!expanded && !detail.firstChild) {
      add(detail, h('p', {class: 'muted', text: 'Loading…'}));
      try {
        const full = await call('/migrations/' + encodeURIComponent(m.tag));
        fill(detail, ...full.statements.map(st => h('div', {class: 'statement'},
          h('div', {class: 'muted', text: `statement ${st.index}`}), highlight(st.sql))));
      } catch (e) {
        fill(detail, errorBox(e));
      }
    }
  }}, m.tag);
  return h('li', {class: 'entry state-' + m.status + (open ? ' open' : '')},
    h('span', {class: 'badge state', title: STATE_HELP[m.status] || '', text: m.status}), ' ',
    toggle,
    h('div', {class: 'meta muted'},
      `#${m.idx} · when ${formatTime(m.when)} · ${m.statements} statement${m.statements === 1 ? '' : 's'}`,
      m.appliedAt ? ` · applied ${formatTime(m.appliedAt)}` : (m.status === 'applied' ? ' · applied by another tool' : ''),
      m.durationMillis != null ? ` in ${m.durationMillis} ms` : '',
      m.appliedBy ? ` by ${m.appliedBy}` : '',
      m.status === 'interrupted' ? ` · ${m.statementsDone} of ${m.statementsTotal} statements done (apply with resume)` : '',
      m.managesOwnTransaction ? ' · manages its own transaction' : '',
      m.recordedHash ? ` · recorded hash ${m.recordedHash.slice(0, 12)}…` : ''),
    detail);
}

function checkSection(check) {
  const section = h('section', {id: 'check'}, h('h2', {text: 'Folder check'}));
  if (check.error) return add(section, errorBox(check.error)), section;
  add(section, h('p', {class: check.ok ? 'ok' : 'error', text: check.ok ? `OK · ${check.warnings} warnings` : `${check.errors} errors, ${check.warnings} warnings`}));
  if (check.findings.length) {
    add(section, h('ul', {class: 'plain'}, check.findings.map(f =>
      h('li', {}, h('span', {class: 'badge sev-' + f.severity, text: f.severity}), ' ', h('code', {text: f.code}), ' ',
        f.file ? h('span', {class: 'muted', text: f.file + ': '}) : null, f.message))));
  }
  return section;
}

function lockSection(lock) {
  const section = h('section', {id: 'lock'}, h('h2', {text: 'Lock'}));
  if (lock.error) return add(section, errorBox(lock.error)), section;
  const describe = (x) => `pid ${x.pid} · ${x.applicationName || '?'} · ${x.clientAddress || 'local'}` + (x.stateChange ? ` · since ${formatTime(x.stateChange)}` : '') + (x.user ? ` · user ${x.user}` : '');
  add(section, h('p', {text: lock.holder ? 'Held by ' + describe(lock.holder) : 'Free: no apply is running.'}));
  if (lock.waiters.length) {
    add(section, h('p', {text: lock.waiters.length + ' waiting:'}), h('ul', {class: 'plain'}, lock.waiters.map(w => h('li', {text: describe(w)}))));
  }
  return section;
}

// The upgrade to drizzle 1.0, previewed as a dry run: where each entry moves and which tracking rows get a name.
function upgradeSection(history, check) {
  const tableNeedsIt = !check.error && check.findings.some(f => f.code === 'tracking-table-0x' || f.code === 'tracking-name-mismatch');
  if (history.folderFormat !== 'journal' && !tableNeedsIt) return null;
  const section = h('section', {id: 'upgrade'}, h('h2', {text: 'Upgrade to drizzle 1.0'}));
  if (!session.can('admin')) {
    return add(section, h('p', {class: 'notice', text: 'Previewing the upgrade needs the admin role.'})), section;
  }
  const out = h('div', {id: 'upgrade-result', 'aria-live': 'polite'});
  const preview = h('button', {type: 'button', id: 'upgrade-preview', onclick: async () => {
    fill(out, h('p', {class: 'muted', text: 'Planning…'}));
    try {
      const plan = await call('/migrations/upgrade', {method: 'POST', body: {dryRun: true}});
      fill(out,
        h('p', {text: `folder ${plan.formatBefore} → ${plan.formatAfter}`}),
        plan.directories.length ? h('ol', {}, plan.directories.map(d => h('li', {}, h('code', {text: d.tag}), ' → ',
          h('code', {text: d.directory + '/'}), d.shiftedBy ? ` (dated ${d.shiftedBy} s later to keep the order)` : ''))) : null,
        plan.table ? h('p', {text: `tracking table: ${plan.table.renames.length} row(s) to name`
          + (plan.table.columnsAdded ? ', name and applied_at columns to add' : '')}) : null,
        plan.notes.length ? h('ul', {class: 'warnings'}, plan.notes.map(n => h('li', {text: n}))) : null,
        h('p', {class: 'muted', text: 'Nothing was changed. POST /migrations/upgrade (or the CLI\'s up) does it.'}));
    } catch (e) {
      fill(out, errorBox(e));
    }
  }}, 'Preview the upgrade (dry run)');
  return add(section, h('p', {text: 'Names the tracking rows by hash for drizzle-orm 1.0, then moves each journal entry into its '
    + 'own directory, as drizzle-kit up does.'}), h('div', {class: 'controls'}, preview), out), section;
}
