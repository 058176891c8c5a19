// Apply: a dry-run preview first, then apply; only shown to callers with the deployer role.
import {ApiError, call, stream} from './api.js';
import {add, clear, errorBox, fill, h} from './dom.js';
import {session} from './session.js';

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
    const progress = h('ol', {id: 'apply-progress', class: 'progress'});
    const status = h('p', {class: 'muted', text: 'Applying… (waits for the migration lock if another run holds it)'});
    fill(out, status, progress);
    const items = {};
    try {
      const last = await stream('/migrations/apply', {}, (name, data) => {
        if (name === 'lock-waiting') status.textContent = 'Waiting for the migration lock (another run holds it)…';
        else if (name === 'lock-acquired') status.textContent = `Lock acquired after ${data.waitedMillis} ms; applying…`;
        else if (name === 'migration-started') {
          items[data.tag] = h('li', {}, h('code', {text: data.tag}), ` · ${data.mode} · 0 of ${data.statements} statement(s)`);
          add(progress, items[data.tag]);
        } else if (name === 'statement' && items[data.tag]) {
          items[data.tag].lastChild.textContent = ` · ${data.statement} of ${data.of} statement(s)`;
        } else if (name === 'migration-done' && items[data.tag]) {
          items[data.tag].lastChild.textContent += ` · done in ${data.millis} ms`;
        }
      });
      if (last && last.name === 'finished') fill(out, result(last.data));
      else if (last && last.name === 'failed') fill(out, progress, errorBox(new ApiError(last.data.status, last.data)));
      else fill(out, progress, h('p', {class: 'notice', text: 'The stream ended without a result: check the migrations page.'}));
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
