// The dashboard's router: one view per location hash, rendered into <main>. No framework, no build.
import { ApiError, setFunctionKey } from './api.js';
import { h } from './dom.js';
import { galleriesView } from './view-galleries.js';
import { inflightView } from './view-inflight.js';
import { metricsView } from './view-metrics.js';
import { quarantinesView } from './view-quarantines.js';
import { runView } from './view-run.js';

const VIEWS = {
  galleries: { title: 'Galleries', render: galleriesView },
  run: { title: 'Run', render: runView },
  inflight: { title: 'In flight', render: inflightView, refreshEveryMs: 10_000 },
  quarantines: { title: 'Quarantines', render: quarantinesView },
  metrics: { title: 'Metrics', render: metricsView },
};

const main = document.getElementById('main');
const status = document.getElementById('status');
let timer;
let rendering = 0;

function route() {
  const [name = 'galleries', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const view = VIEWS[name] ? name : 'galleries';
  return { view, arg: rest.map(decodeURIComponent).join('/') };
}

async function render({ focus = true } = {}) {
  const { view, arg } = route();
  const spec = VIEWS[view];
  const mine = ++rendering;
  clearTimeout(timer);
  document.body.dataset.ready = '';
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  let content;
  try {
    content = await spec.render(arg, { rerender: () => render({ focus: false }) });
  } catch (error) {
    content = error instanceof ApiError && error.status === 401 ? keyForm() : failure(error);
  }
  if (mine !== rendering) return; // a newer navigation won
  main.replaceChildren(content);
  document.title = `${spec.title} · gallery-guard`;
  status.textContent = `${spec.title} loaded`;
  if (focus) main.focus({ preventScroll: true });
  document.body.dataset.ready = view;
  performance.mark(`gg-rendered-${view}`);
  if (spec.refreshEveryMs) timer = setTimeout(() => render({ focus: false }), spec.refreshEveryMs);
}

function failure(error) {
  return h(
    'div',
    { class: 'panel error', role: 'alert' },
    h('h1', {}, 'Could not load this view'),
    h('p', {}, error instanceof Error ? error.message : String(error)),
  );
}

/** Asked when the API answers 401: the page was opened without (or with a wrong) function key. */
function keyForm() {
  const input = h('input', { id: 'key', name: 'key', type: 'password', autocomplete: 'off', required: true });
  return h(
    'form',
    {
      class: 'panel',
      onsubmit: (event) => {
        event.preventDefault();
        setFunctionKey(input.value.trim());
        void render();
      },
    },
    h('h1', {}, 'Function key needed'),
    h('p', {}, 'The API answered 401. Paste a function key of this Function App (kept for this tab only).'),
    h('label', { for: 'key' }, 'Function key'),
    input,
    h('button', { type: 'submit' }, 'Use key'),
  );
}

window.addEventListener('hashchange', () => void render());
document.getElementById('refresh').addEventListener('click', () => void render({ focus: false }));
void render({ focus: false });
