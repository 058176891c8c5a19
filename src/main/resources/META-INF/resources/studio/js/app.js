// The studio's shell: who the caller is, the token prompt, and the hash router.
import {call, setToken, token} from './api.js';
import {add, clear, errorBox, fill, h} from './dom.js';
import {renderTables, renderTable} from './tables.js';
import {renderDiagram} from './diagram.js';
import {renderMigrations} from './migrations.js';
import {renderDrift} from './drift.js';
import {renderApply} from './apply.js';
import {session} from './session.js';

const main = document.getElementById('main');

async function identify() {
  try {
    session.me = await call('/studio/api/me');
  } catch (e) {
    session.me = null;
    if (e.status === 401) return false;
    throw e;
  }
  const who = document.getElementById('who');
  who.textContent = session.me.open ? 'open access (dev mode)' : session.me.name + ' · ' + session.me.roles.join(', ');
  if (!session.me.open) {
    add(who, ' ', h('button', {type: 'button', class: 'link', onclick: () => { setToken(null); location.reload(); }}, 'Sign out'));
  }
  document.getElementById('nav-apply').hidden = !session.can('deployer');
  return true;
}

function tokenForm(message) {
  clear(main);
  const input = h('input', {type: 'password', id: 'token', name: 'token', autocomplete: 'off', required: true, size: 40});
  const form = h('form', {class: 'card token-form', onsubmit: async (event) => {
    event.preventDefault();
    setToken(input.value.trim());
    route();
  }},
  h('h1', {text: 'Sign in'}),
  h('p', {text: 'This service needs a bearer token. It is kept in this tab only (sessionStorage).'}),
  message ? h('p', {class: 'error', role: 'alert', text: message}) : null,
  h('label', {for: 'token', text: 'Token'}), ' ', input, ' ',
  h('button', {type: 'submit', id: 'token-submit'}, 'Continue'));
  add(main, form);
  input.focus();
}

const pages = {
  tables: () => renderTables(main),
  table: (parts, params) => renderTable(main, parts[0], parts[1], params),
  diagram: (parts, params) => renderDiagram(main, params),
  migrations: (parts) => renderMigrations(main, parts[0]),
  drift: () => renderDrift(main),
  apply: () => renderApply(main),
};

export async function route() {
  const hash = location.hash.replace(/^#\/?/, '') || 'tables';
  const [path, search] = hash.split('?');
  const [page, ...rest] = path.split('/');
  const parts = rest.map(decodeURIComponent);
  const params = new URLSearchParams(search || '');
  for (const link of document.querySelectorAll('#nav a')) {
    const current = link.dataset.page === page || (page === 'table' && link.dataset.page === 'tables');
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  if (!session.me) {
    try {
      if (!(await identify())) {
        tokenForm(token() ? 'That token was not accepted.' : null);
        return;
      }
    } catch (e) {
      fill(main, errorBox(e));
      return;
    }
  }
  clear(main);
  add(main, h('p', {class: 'muted', text: 'Loading…'}));
  const render = pages[page] || pages.tables;
  try {
    await render(parts, params);
  } catch (e) {
    fill(main, errorBox(e));
  }
  document.title = (document.querySelector('main h1')?.textContent || 'Studio') + ' · Mellon Studio';
}

window.addEventListener('studio-unauthorized', () => { session.me = null; });
window.addEventListener('hashchange', () => route().then(() => main.focus({preventScroll: true})));
route();
