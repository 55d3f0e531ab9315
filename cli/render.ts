import type { RecordedFinding } from '../shared/audit/finding-ledger';
import type { AuditSummary } from '../shared/audit/run-audit';
import type { HealthReport } from '../shared/operator/health';
import type { InFlightView } from '../shared/operator/in-flight';
import type { RunList } from '../shared/operator/list-runs';
import type { PoisonView, RedriveOutcome } from '../shared/operator/poison-queue';
import type { RunDetail } from '../shared/operator/run-detail';
import { clip, indent, table, when } from './table';
import { renderChanges } from './render-changes';

// Renderers for `-o table`: what a person on call reads. `-o json` prints the API's body instead.

export function renderRunList(list: RunList, next: string): string[] {
  if (list.runs.length === 0) return ['No runs match.'];
  const lines = table(
    ['REF', 'ATTEMPT', 'STATE', 'VERDICT', 'PHASE', 'GALLERY', 'FIRST SEEN'],
    list.runs.map((r) => [
      r.ref,
      String(r.attempt),
      r.state,
      r.verdict ?? '-',
      r.phase ?? '-',
      r.gallery,
      when(r.firstSeenAt),
    ]),
  );
  if (list.continuationToken !== undefined)
    lines.push('', `More: ${next} --continuation-token ${list.continuationToken}`);
  return lines;
}

const MARK: Readonly<Record<string, string>> = { Passed: '✓', Failed: '✗', Inconclusive: '?', Skipped: '-' };

export function renderRunDetail(detail: RunDetail): string[] {
  const { run, validation: v } = detail;
  const lines = [
    `${run.image} ${run.version}  attempt ${run.attempt}  ${run.state}${run.verdict === undefined || run.verdict === run.state ? '' : ` (verdict ${run.verdict})`}`,
    `  gallery   ${run.gallery}`,
    `  run id    ${run.runId}`,
    `  seen      ${when(run.firstSeenAt)} via ${run.sources.join(', ') || '-'}; updated ${when(run.updatedAt)}`,
    `  phase     ${v.phase}`,
  ];
  if (v.verdictReason !== undefined) lines.push(`  reason    ${clip(v.verdictReason, 200)}`);
  const image = [v.osType, v.osState].filter((x) => x !== undefined).join(' ');
  if (image !== '') lines.push(`  image     ${image}${v.owner === undefined ? '' : `, owner ${v.owner}`}`);
  if (v.regions.length > 0)
    lines.push(`  regions   ${v.regions.join(', ')} (of ${v.targetRegions.join(', ') || '-'})`);
  if (v.infraFaults > 0)
    lines.push(`  infra     ${v.infraFaults} fault(s); last: ${clip(v.lastInfraFault, 160)}`);
  for (const problem of v.policyProblems) lines.push(`  policy    ${problem}`);
  if (detail.attempts.length > 1) {
    lines.push(`  attempts  ${detail.attempts.map((a) => `#${a.attempt} ${a.state}`).join(', ')}`);
  }
  if (detail.phases.length > 0) {
    lines.push('', 'Phases');
    lines.push(
      ...indent(
        table(
          ['STEP', 'PHASE', 'SECONDS', 'TRIES', 'ARM CALLS', 'OUTCOME'],
          detail.phases.map((p) => [
            `${p.step}/${p.of}`,
            p.phase,
            p.seconds === undefined ? '-' : p.seconds.toFixed(1),
            String(p.attempts),
            String(p.armCalls),
            clip(p.outcome, 70),
          ]),
        ),
      ),
    );
  }
  if (detail.vms.length > 0) {
    lines.push('', 'VMs');
    lines.push(
      ...indent(
        table(
          ['NAME', 'REGION', 'SIZE', 'SECURITY', 'STATUS', 'BOOT S', 'FAILURE'],
          detail.vms.map((vm) => [
            vm.name,
            vm.region,
            vm.size,
            vm.securityType,
            vm.status,
            vm.bootSeconds === undefined ? '-' : String(vm.bootSeconds),
            clip(vm.failure, 80),
          ]),
        ),
      ),
    );
  }
  const failing = detail.checks.filter((c) => c.status === 'Failed' || c.status === 'Inconclusive');
  if (failing.length > 0) {
    lines.push('', run.verdict === 'Failed' ? 'Failing checks' : 'Checks that could not decide');
    for (const check of failing) {
      const where = [check.region, check.vmName].filter((x) => x !== undefined && x !== '').join(', ');
      lines.push(
        `  ${MARK[check.status] ?? '?'} ${check.name}${where === '' ? '' : ` (${where})`}: ${check.reason}`,
      );
      if (check.evidence !== undefined && check.evidence !== '')
        lines.push(`      evidence: ${clip(check.evidence, 300)}`);
    }
  }
  const others = detail.checks.filter((c) => !failing.includes(c));
  if (others.length > 0) {
    const counts = new Map<string, number>();
    for (const c of others) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
    lines.push(
      '',
      `Other checks: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')} (-o json lists them)`,
    );
  }
  lines.push(...renderChanges(detail));
  if (detail.remediation.length > 0) {
    lines.push('', 'Remediation steps');
    for (const step of detail.remediation) {
      lines.push(
        `  ${step.action.padEnd(20)} ${step.status.padEnd(8)} ${when(step.at)}  ${clip(step.reason, 120)}`,
      );
    }
  }
  if (detail.rollout !== undefined) {
    const { rollout } = detail;
    const next = rollout.nextCheckAt === undefined ? '' : `; next check ${when(rollout.nextCheckAt)}`;
    lines.push('', `Regional rollout: ${rollout.status}${next}`);
    lines.push(
      ...indent(
        table(
          ['REGION', 'STATE', 'VALIDATION', 'SINCE', 'NOTE'],
          rollout.regions.map((r) => [
            r.name,
            r.state,
            r.verdict ?? 'not tested',
            r.at === undefined ? '-' : when(r.at),
            clip(r.reason, 70),
          ]),
        ),
      ),
    );
  }
  if (detail.notifications.length > 0) {
    lines.push('', 'Notifications');
    for (const n of detail.notifications) {
      const detailText = n.lastError === undefined ? '' : `  (${clip(n.lastError, 80)})`;
      lines.push(
        `  ${`${n.channel} ${n.kind}`.padEnd(22)} → ${n.destination.padEnd(16)} ${n.status}${n.httpStatus === undefined ? '' : ` ${n.httpStatus}`}, ${n.attempts} attempt(s)${detailText}`,
      );
    }
  }
  if (detail.operatorRequests.length > 0) {
    lines.push('', 'Operator requests');
    for (const r of detail.operatorRequests) {
      lines.push(
        `  ${when(r.at)}  ${r.kind} by ${r.requestedBy}: "${clip(r.reason, 120)}" → ${clip(r.outcome, 80)}`,
      );
    }
  }
  return lines;
}

export function renderInflight(view: InFlightView): string[] {
  const lines = [
    `Runs in flight: ${view.runs.length}${
      view.runs.length === 0
        ? ''
        : ` (${Object.entries(view.byPhase)
            .map(([p, n]) => `${p} ${n}`)
            .join(', ')})`
    }`,
  ];
  if (view.runs.length > 0) {
    lines.push(
      ...indent(
        table(
          ['REF', 'ATTEMPT', 'STATE', 'PHASE', 'SINCE', 'NEXT ACTION'],
          view.runs.map((r) => [
            r.ref,
            String(r.attempt),
            r.state,
            r.phase ?? '-',
            when(r.firstSeenAt),
            when(r.nextActionAt),
          ]),
        ),
      ),
    );
  }
  lines.push('', 'VM slots');
  lines.push(
    ...indent(
      table(
        ['SCOPE', 'USED', 'CAP'],
        view.slots.map((s) => [s.scope, String(s.used), String(s.cap)]),
      ),
    ),
  );
  lines.push('', `Waiting for VM slots: ${view.waiters.length}`);
  for (const w of view.waiters) lines.push(`  ${when(w.since)}  ${w.ref ?? w.runId}`);
  return lines;
}

export function renderHealth(report: HealthReport): string[] {
  const c = report.config;
  const lines = [`Health: ${report.status.toUpperCase()}  (checked ${when(report.checkedAt)})`];
  for (const problem of report.problems) lines.push(`  ! ${clip(problem, 160)}`);
  lines.push(
    '',
    `Scopes       ${report.scopes.join(', ')}`,
    `Mode         ${c.defaultMode}`,
    `Storage      ${c.storage}: ${report.storage.reachable ? `reachable (${report.storage.ms} ms)` : `UNREACHABLE ${report.storage.error ?? ''}`}`,
    `ARM          ${report.arm.endpoint}`,
  );
  for (const g of report.arm.galleries) {
    lines.push(
      `  gallery    ${g.gallery}: ${g.reachable ? `reachable (${g.ms} ms)` : `UNREACHABLE ${clip(g.error, 120)}`}`,
    );
  }
  const val = c.validation;
  lines.push(
    `Validation   ${val.enabled ? `subscription ${val.subscriptionId ?? ''}, group ${val.resourceGroup}, regions ${val.regions.join(', ') || 'none'}, caps ${val.maxVmsPerRegion}/region ${val.maxVmsPerSubscription}/subscription` : 'off (GG_VALIDATION_SUBSCRIPTION_ID unset)'}`,
    `Notify       Teams default ${c.notifications.teamsDefaultChannel ? 'set' : 'unset'}${c.notifications.teamsChannels.length > 0 ? `, channels ${c.notifications.teamsChannels.join(', ')}` : ''}; PagerDuty ${c.notifications.pagerduty ? `set (severity ${c.notifications.pagerdutySeverity})` : 'unset'}; on-call webhook ${c.notifications.oncallWebhook ? 'set' : 'unset'}`,
    '',
    'Queues',
    ...indent(
      table(
        ['QUEUE', 'DEPTH'],
        report.queues.map((q) => [q.name, q.depth < 0 ? '?' : String(q.depth)]),
      ),
    ),
    '',
    'Timers',
    ...indent(
      table(
        ['TIMER', 'SCHEDULE', 'LAST RUN', 'OUTCOME', 'MS'],
        report.timers.map((t) => [
          t.name,
          t.schedule,
          when(t.lastStartedAt),
          t.lastOutcome === undefined
            ? 'never ran'
            : `${t.lastOutcome}${t.lastError === undefined ? '' : `: ${clip(t.lastError, 60)}`}`,
          t.lastDurationMs === undefined ? '-' : String(t.lastDurationMs),
        ]),
      ),
    ),
  );
  return lines;
}

export function renderPoison(view: PoisonView): string[] {
  const lines = [`${view.queue}: ${view.depth} message(s)`];
  if (view.messages.length === 0) return lines;
  lines.push(
    ...indent(
      table(
        ['MESSAGE ID', 'INSERTED', 'DEQUEUES', 'RUN', 'STATE', 'PROBLEM'],
        view.messages.map((m) => [
          m.messageId,
          when(m.insertedOn),
          String(m.dequeueCount),
          m.run?.ref ?? m.runId ?? '-',
          m.run?.state ?? '-',
          m.problem ?? '',
        ]),
      ),
    ),
  );
  return lines;
}

export function renderRedrive(outcome: RedriveOutcome): string[] {
  const lines = [`Re-drove ${outcome.redriven.length} message(s) onto the run queue.`];
  for (const r of outcome.redriven) lines.push(`  ${r.messageId}  ${r.ref ?? r.runId}`);
  for (const s of outcome.skipped) lines.push(`  skipped ${s.messageId}: ${s.problem}`);
  lines.push(`Reason recorded: "${outcome.reason}" (by ${outcome.requestedBy})`);
  return lines;
}

interface VersionActionBody {
  readonly action?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly versionId?: string;
  readonly requestedBy?: string;
  readonly operatorReason?: string;
  readonly runId?: string;
  readonly error?: string;
  /** rollback: region → version latest resolved to before / resolves to now (null: none). */
  readonly latestBefore?: Readonly<Record<string, string | null>>;
  readonly latestAfter?: Readonly<Record<string, string | null>>;
  readonly protection?: Readonly<Record<string, string>>;
}

export function renderVersionAction(body: VersionActionBody): string[] {
  const lines = [`${body.action ?? 'action'}: ${body.status ?? '?'} — ${body.reason ?? body.error ?? ''}`];
  if (body.versionId !== undefined) lines.push(`  version  ${body.versionId}`);
  if (body.runId !== undefined) lines.push(`  run      ${body.runId}`);
  if (body.latestAfter !== undefined) {
    lines.push('', 'Latest now resolves to (re-read from ARM)');
    lines.push(
      ...indent(
        table(
          ['REGION', 'BEFORE', 'NOW'],
          Object.entries(body.latestAfter).map(([region, now]) => [
            region,
            body.latestBefore?.[region] ?? 'none',
            now ?? 'none (a VM create from the definition fails there)',
          ]),
        ),
      ),
    );
  }
  for (const [version, what] of Object.entries(body.protection ?? {})) {
    lines.push(`  ${version}: ${what} (safetyProfile.allowDeletionOfReplicatedLocations=false)`);
  }
  if (body.operatorReason !== undefined) {
    lines.push(`Reason recorded: "${body.operatorReason}" (by ${body.requestedBy ?? '?'})`);
  }
  return lines;
}

export function renderAuditSummary(summary: AuditSummary): string[] {
  const lines = [
    `Audit ${summary.auditId} (${summary.trigger}) ${when(summary.startedAt)} → ${when(summary.finishedAt)}`,
  ];
  lines.push(
    ...indent(
      table(
        ['GALLERY', 'STATUS', 'DEFINITIONS', 'VERSIONS', 'FINDINGS', 'OPENED', 'RESOLVED', 'HIGH/MEDIUM/LOW'],
        summary.galleries.map((g) => [
          g.galleryId.split('/').at(-1) ?? g.galleryId,
          g.status === 'failed' ? `failed: ${clip(g.error, 60)}` : g.status,
          String(g.definitions),
          String(g.versions),
          String(g.findings),
          String(g.opened),
          String(g.resolved),
          `${g.bySeverity.high}/${g.bySeverity.medium}/${g.bySeverity.low}`,
        ]),
      ),
    ),
  );
  lines.push('', 'Findings: gg audit findings');
  return lines;
}

export function renderFindings(body: { readonly findings: readonly RecordedFinding[] }): string[] {
  if (body.findings.length === 0) return ['No findings.'];
  const lines: string[] = [];
  for (const f of body.findings) {
    const resource = f.resourceId.split('/').slice(-4).join('/');
    lines.push(
      `${f.severity.toUpperCase().padEnd(6)} ${f.rule}  ${resource}  (${f.state}, seen ${f.timesSeen}x since ${when(f.firstSeenAt)})`,
    );
    lines.push(`       ${clip(f.reason, 200)}`);
    if (f.fix !== '') lines.push(`       fix: ${clip(f.fix, 200)}`);
  }
  return lines;
}
