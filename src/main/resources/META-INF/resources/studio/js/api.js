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

/**
 * POSTs and reads the answer as server-sent events, calling onEvent(name, data) for each as it arrives; resolves with
 * the data of the last event. Refusals before the stream starts (401, 403, 400) throw ApiError as call() does.
 */
export async function stream(path, body, onEvent) {
  const headers = {Accept: 'text/event-stream, application/problem+json', 'Content-Type': 'application/json'};
  const t = token();
  if (t) headers.Authorization = 'Bearer ' + t;
  const response = await fetch(base() + path, {method: 'POST', headers, body: JSON.stringify(body)});
  if (!response.ok || !(response.headers.get('Content-Type') || '').includes('text/event-stream')) {
    const problem = await response.json().catch(() => ({detail: response.statusText}));
    if (response.status === 401) window.dispatchEvent(new CustomEvent('studio-unauthorized'));
    throw new ApiError(response.status, problem);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let last = null;
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trim());
      }
      if (!data.length) continue;
      let parsed;
      try { parsed = JSON.parse(data.join('\n')); } catch (e) { parsed = data.join('\n'); }
      last = {name, data: parsed};
      onEvent(name, parsed);
    }
  }
  return last;
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
