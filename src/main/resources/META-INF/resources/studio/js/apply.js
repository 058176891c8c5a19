// Apply: a dry-run preview first, then apply; only shown to callers with the deployer role.
import {call} from './api.js';
import {add, clear, errorBox, fill, h} from './dom.js';
import {session} from './app.js';

export async function renderApply(main) {
  fill(main, h('h1', {text: 'Apply'}));
  if (!session.can('deployer')) {
    add(main, h('p', {class: 'notice', text: 'Applying migrations needs the deployer role.'}));
    return;
  }
  const out = h('div', {id: 'apply-result', 'aria-live': 'polite'});
  const applyButton = h('button', {type: 'button', id: 'apply-run', class: 'danger', disabled: true}, 'Apply');
  const preview = h('button', {type: 'button', id: 'apply-preview', onclick: async () => {
    applyButton.disabled = true;
    fill(out, h('p', {class: 'muted', text: 'Planning…'}));
    try {
      const plan = await call('/migrations/apply', {method: 'POST', body: {dryRun: true}});
      fill(out, result(plan));
      applyButton.disabled = plan.applied.length === 0;
      applyButton.textContent = plan.applied.length ? `Apply ${plan.applied.length} migration(s)` : 'Nothing to apply';
    } catch (e) {
      fill(out, errorBox(e));
    }
  }}, 'Preview (dry run)');
  applyButton.addEventListener('click', async () => {
    if (!confirm('Apply the pending migrations to the database now?')) return;
    applyButton.disabled = true;
    fill(out, h('p', {class: 'muted', text: 'Applying… (waits for the migration lock if another run holds it)'}));
    try {
      const done = await call('/migrations/apply', {method: 'POST', body: {}});
      fill(out, result(done));
    } catch (e) {
      fill(out, errorBox(e));
    }
  });
  add(main, h('p', {text: 'Runs what is pending in journal order under the migration lock, as POST /migrations/apply does. '
    + 'Preview first: a dry run executes nothing.'}), h('div', {class: 'controls'}, preview, ' ', applyButton), out);
}

function result(r) {
  return h('div', {class: 'card'},
    h('p', {}, h('strong', {text: r.outcome}), r.totalMillis != null ? ` in ${r.totalMillis} ms` : '', r.waitedForLock ? ` (waited ${r.lockWaitMillis} ms for the lock)` : ''),
    r.applied.length ? h('ol', {}, r.applied.map(a => h('li', {}, h('code', {text: a.tag}),
      ` · ${a.statements} statement(s)` + (a.millis != null && r.outcome !== 'dry-run' ? ` · ${a.millis} ms` : '')))) : h('p', {text: 'Nothing pending.'}),
    (r.warnings || []).length ? h('ul', {class: 'warnings'}, r.warnings.map(w => h('li', {text: typeof w === 'string' ? w : JSON.stringify(w)}))) : null);
}
