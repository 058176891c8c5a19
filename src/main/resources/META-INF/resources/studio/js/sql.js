// A small SQL highlighter: tokens become spans with a class, built with textContent.
import {add, h} from './dom.js';

const KEYWORDS = new Set(('select from where and or not null is in as on join left right inner outer full cross create table '
  + 'alter drop add column constraint primary key foreign references unique index concurrently if exists default '
  + 'insert into values update set delete returning begin commit rollback do end schema type enum view materialized '
  + 'sequence function trigger grant revoke cascade restrict check using with no action rename to owner nulls first '
  + 'last asc desc limit offset order by group having distinct union all case when then else cast varchar text integer '
  + 'bigint smallint serial bigserial boolean timestamp date time numeric jsonb json uuid true false generated always '
  + 'identity stored only validate valid replace language returns policy enable disable row level security comment').split(' '));

const TOKEN = /(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*'?)|("(?:[^"]|"")*"?)|(\$([A-Za-z_][A-Za-z_0-9]*)?\$[\s\S]*?\$\5\$)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z_0-9$]*)|(\s+)|([^\sA-Za-z_0-9'"$-]+|[$-])/g;

export function highlight(sql) {
  const pre = h('pre', {class: 'sql'});
  const code = h('code', {});
  add(pre, code);
  let last = 0;
  for (const match of sql.matchAll(TOKEN)) {
    if (match.index > last) add(code, sql.slice(last, match.index));
    const [text, comment, string, ident, dollar, , number, word] = match;
    let cls = null;
    if (comment) cls = 'tok-comment';
    else if (string || dollar) cls = 'tok-string';
    else if (ident) cls = 'tok-ident';
    else if (number) cls = 'tok-number';
    else if (word && KEYWORDS.has(word.toLowerCase())) cls = 'tok-keyword';
    add(code, cls ? h('span', {class: cls, text}) : text);
    last = match.index + text.length;
  }
  if (last < sql.length) add(code, sql.slice(last));
  return pre;
}
