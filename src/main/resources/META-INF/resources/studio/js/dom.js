// Builds DOM nodes. Text is only ever set with textContent / createTextNode: data never becomes HTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'text') {
      el.textContent = String(value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** A problem document (or any error) as an alert the page shows in place of its content. */
export function errorBox(error) {
  const problem = error && error.problem;
  const title = problem ? (problem.title || 'Error') : 'Error';
  const detail = problem ? problem.detail : (error && error.message) || String(error);
  return h('div', {class: 'error', role: 'alert'},
    h('strong', {text: (error && error.status ? error.status + ' ' : '') + title}),
    detail ? h('p', {text: detail}) : null,
    problem && problem.field ? h('p', {class: 'muted', text: 'Field: ' + problem.field}) : null);
}

export function formatBytes(n) {
  if (n == null) return '';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
}

export function formatTime(value) {
  if (value == null || value === '') return '';
  const d = typeof value === 'number' ? new Date(value) : new Date(value);
  return isNaN(d.getTime()) ? String(value) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function tableLink(schema, table) {
  return '#/table/' + encodeURIComponent(schema) + '/' + encodeURIComponent(table);
}

/** Appends children, skipping null/undefined/false (the DOM's own append would print them). */
export function add(el, ...children) {
  append(el, children);
  return el;
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}
