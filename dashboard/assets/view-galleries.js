import { api } from './api.js';
import { badge, h, seconds, table, when } from './dom.js';
import { sparkline } from './sparkline.js';

const STATE_TEXT = {
  latest: 'latest',
  candidate: 'in latest pool',
  excluded: 'excluded from latest',
  'end-of-life': 'end of life',
};

export const runLink = (ref, text) => h('a', { href: `#/run/${encodeURIComponent(ref)}` }, text);

export function stateBadges(v) {
  return [badge(STATE_TEXT[v.state] ?? v.state, v.state), v.quarantined ? [' ', badge('quarantined')] : []];
}

function versionRow(v) {
  const run = v.run;
  const verdict = run ? (run.verdict ?? run.state) : undefined;
  return h(
    'tr',
    { class: v.quarantined ? 'quarantined' : undefined, 'data-version': v.ref },
    h('th', { scope: 'row' }, v.version),
    h(
      'td',
      { class: 'state' },
      stateBadges(v),
      v.endOfLifeDate && v.state !== 'end-of-life'
        ? h('div', { class: 'muted' }, 'EOL ', when(v.endOfLifeDate))
        : [],
    ),
    h('td', {}, verdict ? badge(verdict) : h('span', { class: 'muted' }, 'not validated')),
    h('td', { class: 'checks' }, run?.failedChecks?.length ? run.failedChecks.join(', ') : ''),
    h('td', { class: 'num' }, seconds(run?.bootSeconds)),
    h('td', {}, run ? runLink(run.runId, `attempt ${run.attempt}`) : ''),
  );
}

function definitionSection(d) {
  const points = d.versions.map((v) => ({ label: v.version, value: v.run?.bootSeconds }));
  return h(
    'section',
    { class: 'panel definition', 'aria-labelledby': `def-${d.name}` },
    h(
      'header',
      { class: 'definition-head' },
      h('h3', { id: `def-${d.name}` }, d.name),
      h('span', { class: 'muted' }, [d.osType, d.osState, d.owner].filter(Boolean).join(' · ')),
      h(
        'span',
        { class: 'spark' },
        h('span', { class: 'muted' }, 'boot time'),
        sparkline(points, { label: `Boot time of ${d.name} by version` }),
      ),
    ),
    table(
      `Versions of ${d.name}`,
      ['Version', 'State', 'Verdict', 'Failing checks', 'Boot (slowest VM)', 'Run'],
      d.versions.map(versionRow),
      { class: 'versions' },
    ),
  );
}

export async function galleriesView() {
  const overview = await api.galleries();
  const versions = overview.galleries.flatMap((g) => g.definitions.flatMap((d) => d.versions));
  const quarantined = versions.filter((v) => v.quarantined).length;
  return h(
    'div',
    {},
    h('h1', {}, 'Galleries'),
    h(
      'p',
      { class: 'summary' },
      `${overview.galleries.length} gallery(ies), ${versions.length} version(s), `,
      h('strong', {}, `${quarantined} quarantined`),
      '. Read ',
      when(overview.checkedAt),
      '.',
    ),
    overview.galleries.map((g) =>
      h(
        'section',
        { class: 'gallery', 'aria-labelledby': `gal-${g.gallery}` },
        h('h2', { id: `gal-${g.gallery}` }, g.gallery),
        h('p', { class: 'muted id' }, g.id),
        g.error ? h('p', { class: 'panel error', role: 'alert' }, `ARM could not be read: ${g.error}`) : [],
        g.definitions.map(definitionSection),
      ),
    ),
  );
}
