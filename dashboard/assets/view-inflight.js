import { api } from './api.js';
import { h, table, when } from './dom.js';
import { runLink } from './view-galleries.js';

export async function inflightView() {
  const view = await api.inflight();
  return h(
    'div',
    {},
    h('h1', {}, 'In flight'),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, 'VM slots'),
      h(
        'ul',
        { class: 'slots' },
        view.slots.map((slot) =>
          h(
            'li',
            {},
            h('label', { for: `slot-${slot.scope}` }, slot.scope),
            h('meter', {
              id: `slot-${slot.scope}`,
              min: 0,
              max: slot.cap,
              value: slot.used,
              high: Math.max(slot.cap - 1, 0),
            }),
            ` ${slot.used} / ${slot.cap}`,
          ),
        ),
      ),
      view.waiters.length === 0
        ? h('p', { class: 'muted' }, 'No run is waiting for a slot.')
        : h(
            'p',
            {},
            `${view.waiters.length} run(s) waiting for a slot; longest since `,
            when(view.waiters[0].since),
          ),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, 'Runs'),
      h(
        'p',
        {},
        Object.entries(view.byPhase)
          .map(([phase, n]) => `${phase}: ${n}`)
          .join(' · ') || 'Nothing in flight.',
      ),
      view.runs.length === 0
        ? []
        : table(
            `${view.runs.length} run(s) in flight`,
            ['Version', 'Phase', 'Seen', 'Next action', 'Waiting for a slot since'],
            view.runs.map((r) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, runLink(r.runId, r.ref)),
                h('td', {}, r.phase ?? r.state),
                h('td', {}, when(r.firstSeenAt)),
                h('td', {}, when(r.nextActionAt)),
                h('td', {}, when(r.slotWaitSince)),
              ),
            ),
          ),
    ),
  );
}
