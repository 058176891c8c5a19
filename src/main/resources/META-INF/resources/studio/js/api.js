// Calls the service with the bearer token kept in sessionStorage; errors become ApiError with the problem document.

const KEY = 'mellon-studio-token';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : 'HTTP ' + status);
    this.status = status;
    this.problem = problem;
  }
}

export function token() {
  return sessionStorage.getItem(KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(KEY, value); else sessionStorage.removeItem(KEY);
}

function base() {
  // The studio lives at <root>/studio/; the API is at <root>/.
  return new URL('..', location.href.split('#')[0]).href.replace(/\/$/, '');
}

export async function call(path, {method = 'GET', body, accept = 'application/json'} = {}) {
  const headers = {Accept: accept + ', application/problem+json'};
  const t = token();
  if (t) headers.Authorization = 'Bearer ' + t;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(base() + path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  const type = response.headers.get('Content-Type') || '';
  let payload = null;
  if (type.includes('json')) {
    payload = await response.json().catch(() => null);
  } else {
    payload = await response.text();
  }
  if (!response.ok) {
    if (response.status === 401) window.dispatchEvent(new CustomEvent('studio-unauthorized'));
    throw new ApiError(response.status, payload && typeof payload === 'object' ? payload : {title: response.statusText, detail: String(payload || '')});
  }
  return payload;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach(v => search.append(key, v)); else search.append(key, value);
  }
  const text = search.toString();
  return text ? '?' + text : '';
}
