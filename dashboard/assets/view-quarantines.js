import { api } from './api.js';
import { h, table, when } from './dom.js';
import { runLink } from './view-galleries.js';

/** Versions gallery-guard keeps out of latest after a Failed verdict, most recent first. */
export async function quarantinesView() {
  const overview = await api.galleries();
  const rows = overview.galleries
    .flatMap((g) => g.definitions.flatMap((d) => d.versions.map((v) => ({ gallery: g.gallery, v }))))
    .filter(({ v }) => v.quarantined)
    .sort((a, b) => (b.v.run?.updatedAt ?? '').localeCompare(a.v.run?.updatedAt ?? ''));
  return h(
    'div',
    {},
    h('h1', {}, 'Recent quarantines'),
    rows.length === 0
      ? h('p', { class: 'panel' }, 'No version is quarantined.')
      : table(
          `${rows.length} quarantined version(s)`,
          ['Version', 'Gallery', 'Failing checks', 'Decided', 'End of life', 'Run'],
          rows.map(({ gallery, v }) =>
            h(
              'tr',
              { class: 'quarantined', 'data-version': v.ref },
              h('th', { scope: 'row' }, v.ref),
              h('td', {}, gallery),
              h('td', {}, v.run?.failedChecks?.join(', ') ?? ''),
              h('td', {}, when(v.run?.updatedAt)),
              h('td', {}, when(v.endOfLifeDate)),
              h('td', {}, v.run ? runLink(v.run.runId, 'open run') : ''),
            ),
          ),
        ),
  );
}
