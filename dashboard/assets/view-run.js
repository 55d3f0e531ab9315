import { api } from './api.js';
import { badge, h, s, seconds, table, when } from './dom.js';
import { stateBadges } from './view-galleries.js';

/** Phases as bars on one time axis: where the run spent its time, and which phase retried. */
function timeline(phases) {
  const timed = phases.filter((p) => p.startedAt);
  if (timed.length === 0) return h('p', { class: 'muted' }, 'No phase has started yet.');
  const start = Math.min(...timed.map((p) => Date.parse(p.startedAt)));
  const end = Math.max(...timed.map((p) => Date.parse(p.endedAt ?? p.startedAt)));
  const span = Math.max(end - start, 1);
  const width = 640;
  const row = 22;
  const label = 150;
  const svg = s('svg', {
    class: 'timeline',
    viewBox: `0 0 ${width} ${timed.length * row + 4}`,
    role: 'img',
    'aria-label': `Phase timeline: ${timed.map((p) => `${p.phase} ${p.seconds ?? '?'} s`).join(', ')}`,
  });
  timed.forEach((p, i) => {
    const x0 = label + ((Date.parse(p.startedAt) - start) / span) * (width - label - 60);
    const x1 = label + ((Date.parse(p.endedAt ?? p.startedAt) - start) / span) * (width - label - 60);
    const y = i * row + 2;
    svg.append(
      s('text', { x: 0, y: y + 15, class: 'tl-label' }, p.phase),
      s(
        'rect',
        {
          x: x0.toFixed(1),
          y: y + 3,
          width: Math.max(x1 - x0, 2).toFixed(1),
          height: row - 8,
          class: `tl-bar tl-${(p.outcome ?? 'open').toLowerCase().replace(/[^a-z]/g, '')}`,
        },
        s(
          'title',
          {},
          `${p.phase}: ${p.seconds ?? '?'} s, ${p.attempts} attempt(s), ${p.armCalls} ARM call(s)`,
        ),
      ),
      s(
        'text',
        { x: (Math.max(x1, x0 + 2) + 4).toFixed(1), y: y + 15, class: 'tl-value' },
        p.seconds === undefined ? '…' : `${p.seconds} s`,
      ),
    );
  });
  return svg;
}

function vmsByRegion(vms) {
  const regions = [...new Set(vms.map((vm) => vm.region))].sort();
  if (regions.length === 0) return h('p', { class: 'muted' }, 'No VM yet.');
  return regions.map((region) =>
    table(
      `VMs in ${region}`,
      ['VM', 'Size', 'Security', 'Status', 'Boot', 'Failure'],
      vms
        .filter((vm) => vm.region === region)
        .map((vm) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, vm.name),
            h('td', {}, vm.size),
            h('td', {}, vm.securityType),
            h('td', {}, badge(vm.status)),
            h('td', { class: 'num' }, seconds(vm.bootSeconds)),
            h('td', {}, vm.failure ?? ''),
          ),
        ),
      { class: 'vms' },
    ),
  );
}

const ORDER = { Failed: 0, Passed: 2, Skipped: 3 };

function checksTable(checks) {
  if (checks.length === 0) return h('p', { class: 'muted' }, 'No check has run yet.');
  const sorted = [...checks].sort((a, b) => (ORDER[a.status] ?? 1) - (ORDER[b.status] ?? 1));
  return table(
    `${checks.filter((c) => c.status === 'Failed').length} of ${checks.length} checks failed`,
    ['Check', 'Status', 'Where', 'Reason', 'Evidence'],
    sorted.map((c) =>
      h(
        'tr',
        { class: c.status === 'Failed' ? 'failed' : undefined, 'data-check': c.name },
        h('th', { scope: 'row' }, c.name),
        h('td', {}, badge(c.status)),
        h('td', {}, [c.region, c.vmName].filter(Boolean).join(' / ')),
        h('td', {}, c.reason),
        h('td', {}, c.evidence ? h('pre', { class: 'evidence' }, c.evidence) : ''),
      ),
    ),
    { class: 'checks' },
  );
}

/**
 * A panel of records as one table: `columns` are [heading, cell, class?]; the first cell of a row is
 * its header cell. Empty: a muted line instead of an empty table.
 */
function recordsPanel(title, items, empty, caption, columns) {
  const rows = items.map((item) =>
    h(
      'tr',
      {},
      ...columns.map(([, cell, cls], i) =>
        h(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : cls ? { class: cls } : {}, cell(item)),
      ),
    ),
  );
  return h(
    'section',
    { class: 'panel' },
    h('h2', {}, title),
    items.length === 0
      ? h('p', { class: 'muted' }, empty)
      : table(
          caption,
          columns.map(([heading]) => heading),
          rows,
        ),
  );
}

/** A modal form that will not send without a reason; Escape or Cancel closes it. */
function actionDialog(action, detail, done) {
  const reason = h('textarea', {
    id: 'reason',
    name: 'reason',
    required: true,
    rows: 3,
    'aria-describedby': 'reason-help',
  });
  const message = h('p', { class: 'form-message', role: 'alert' });
  const dialog = h(
    'dialog',
    { class: 'action-dialog', 'aria-labelledby': 'dialog-title' },
    h(
      'form',
      {
        method: 'dialog',
        onsubmit: async (event) => {
          event.preventDefault();
          if (reason.value.trim() === '') {
            message.textContent = 'A reason is required: it goes into the audit log.';
            reason.focus();
            return;
          }
          message.textContent = 'Sending…';
          try {
            const outcome = await api[action]({
              versionId: detail.run.versionId,
              reason: reason.value.trim(),
            });
            dialog.close();
            dialog.remove();
            done(`${action}: ${outcome?.status ?? 'done'}`);
          } catch (error) {
            message.textContent = error.message;
          }
        },
      },
      h(
        'h2',
        { id: 'dialog-title' },
        action === 'release' ? `Release ${detail.run.ref}` : `Re-validate ${detail.run.ref}`,
      ),
      h(
        'p',
        { id: 'reason-help' },
        action === 'release'
          ? 'Undoes gallery-guard’s exclusions: the version may become latest again.'
          : 'Queues a fresh validation run of this version.',
      ),
      h('label', { for: 'reason' }, 'Reason (required)'),
      reason,
      h(
        'p',
        { class: 'muted' },
        'Recorded with your Microsoft Entra ID sign-in (App Service authentication); a function key alone cannot release.',
      ),
      message,
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'submit' }, action === 'release' ? 'Release' : 'Re-validate'),
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => (dialog.close(), dialog.remove()) },
          'Cancel',
        ),
      ),
    ),
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  reason.focus();
}

export async function runView(ref, { rerender }) {
  const detail = await api.run(ref);
  const { run, validation } = detail;
  const galleryState = await api
    .galleries({ gallery: run.gallery, image: run.image })
    .then((o) =>
      o.galleries
        .flatMap((g) => g.definitions.flatMap((d) => d.versions))
        .find((v) => v.versionId.toLowerCase() === run.versionId.toLowerCase()),
    )
    .catch(() => undefined);
  const notice = h('p', { class: 'notice', role: 'status' });
  const done = (text) => {
    sessionStorage.setItem('gallery-guard.notice', text);
    rerender();
  };
  const last = sessionStorage.getItem('gallery-guard.notice');
  if (last) {
    notice.textContent = last;
    sessionStorage.removeItem('gallery-guard.notice');
  }
  return h(
    'div',
    { class: 'run' },
    h('p', {}, h('a', { href: '#/galleries' }, '← Galleries')),
    h('h1', {}, `${run.ref} `, h('span', { class: 'muted' }, `attempt ${run.attempt}`)),
    notice,
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Verdict'),
      h(
        'dd',
        { id: 'verdict' },
        badge(run.verdict ?? run.state),
        validation.verdictReason ? ` ${validation.verdictReason}` : '',
      ),
      h('dt', {}, 'In the gallery'),
      h(
        'dd',
        { id: 'gallery-state' },
        galleryState ? stateBadges(galleryState) : h('span', { class: 'muted' }, 'unknown'),
      ),
      h('dt', {}, 'Phase'),
      h('dd', {}, validation.phase, run.stateReason ? ` (${run.stateReason})` : ''),
      h('dt', {}, 'Seen'),
      h('dd', {}, when(run.firstSeenAt), ' · updated ', when(run.updatedAt)),
      h('dt', {}, 'Image'),
      h('dd', {}, [validation.osType, validation.osState, validation.owner].filter(Boolean).join(' · ')),
      h('dt', {}, 'Regions'),
      h('dd', {}, (validation.regions ?? []).join(', ')),
      h('dt', {}, 'ARM calls'),
      h('dd', {}, `${validation.armCalls} (${validation.infraFaults} infrastructure fault(s))`),
    ),
    h(
      'div',
      { class: 'buttons' },
      h(
        'button',
        { type: 'button', id: 'release', onclick: () => actionDialog('release', detail, done) },
        'Release…',
      ),
      h(
        'button',
        {
          type: 'button',
          id: 'revalidate',
          class: 'secondary',
          onclick: () => actionDialog('revalidate', detail, done),
        },
        'Re-validate…',
      ),
    ),
    h('section', { class: 'panel' }, h('h2', {}, 'Phases'), timeline(detail.phases)),
    h('section', { class: 'panel' }, h('h2', {}, 'VMs per region'), vmsByRegion(detail.vms)),
    h('section', { class: 'panel' }, h('h2', {}, 'Checks'), checksTable(detail.checks)),
    recordsPanel('Remediation', detail.remediation, 'No remediation step.', 'Steps', [
      ['Action', (r) => r.action],
      ['Status', (r) => badge(r.status)],
      ['Reason', (r) => r.reason ?? ''],
      ['Attempts', (r) => r.attempts, 'num'],
      ['At', (r) => when(r.at)],
    ]),
    recordsPanel('Cards and pages sent', detail.notifications, 'Nothing sent.', 'Notifications', [
      ['Kind', (n) => n.kind],
      ['Channel', (n) => n.channel],
      ['Status', (n) => badge(n.status)],
      ['Attempts', (n) => n.attempts, 'num'],
      ['HTTP', (n) => n.httpStatus ?? n.lastError ?? ''],
      ['Delivered', (n) => when(n.deliveredAt)],
    ]),
    recordsPanel('Operator requests', detail.operatorRequests, 'None.', 'Requests', [
      ['Kind', (r) => r.kind],
      ['By', (r) => r.requestedBy],
      ['Reason', (r) => r.reason],
      ['Outcome', (r) => r.outcome],
      ['At', (r) => when(r.at)],
    ]),
  );
}
