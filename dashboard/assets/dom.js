// Builds DOM nodes without innerHTML: every datum from the API lands as text, never as markup.

/**
 * h('a', { href: '#/x', class: 'link' }, 'text', child): attributes (false/undefined skipped,
 * on* as listeners), children as nodes or text.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The same for SVG elements (sparklines, timelines). */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A badge whose class follows its text (verdicts, states); screen readers read the text. */
export function badge(text, kind = String(text).toLowerCase()) {
  return h('span', { class: `badge badge-${kind.replace(/[^a-z0-9-]/g, '-')}` }, text);
}

export function table(caption, headers, rows, attrs = {}) {
  return h(
    'table',
    attrs,
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((name) => h('th', { scope: 'col' }, name)),
      ),
    ),
    h('tbody', {}, rows),
  );
}

export function when(iso) {
  if (iso === undefined || iso === null || iso === '') return '';
  const date = new Date(iso);
  return h('time', { datetime: iso, title: iso }, date.toLocaleString());
}

export function seconds(value) {
  return value === undefined || value === null ? '' : `${Number(value).toFixed(1)} s`;
}
