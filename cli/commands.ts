import type { ApiResponse } from './api-client';
import { GLOBAL_OPTIONS, REASON_OPTIONS, type Command, type CommandContext } from './command';
import { ExitCode, exitCodeForStatus } from './exit-codes';
import { CLIENT_PRINCIPAL_HEADER, localPrincipal } from './local-principal';
import {
  renderAuditSummary,
  renderFindings,
  renderHealth,
  renderInflight,
  renderPoison,
  renderRedrive,
  renderRunDetail,
  renderRunList,
  renderVersionAction,
} from './render';
import type { RecordedFinding } from '../shared/audit/finding-ledger';
import type { AuditSummary } from '../shared/audit/run-audit';
import type { HealthReport } from '../shared/operator/health';
import type { InFlightView } from '../shared/operator/in-flight';
import type { RunList } from '../shared/operator/list-runs';
import type { PoisonView, RedriveOutcome } from '../shared/operator/poison-queue';
import type { RunDetail } from '../shared/operator/run-detail';

const MAX_PAGES = 200;

/** Prints the API's answer: JSON as it came, or the table rendering; errors go to stderr. */
function show<T>(ctx: CommandContext, response: ApiResponse, render: (body: T) => string[]): number {
  if (response.status < 200 || response.status >= 300) return fail(ctx, response);
  if (ctx.format === 'json') ctx.print(JSON.stringify(response.body, null, 2));
  else for (const line of render(response.body as T)) ctx.print(line);
  return ExitCode.Ok;
}

function fail(ctx: CommandContext, response: ApiResponse): number {
  const body = response.body;
  const fields =
    typeof body === 'object' && body !== null ? (body as { error?: unknown; reason?: unknown }) : {};
  const message =
    typeof fields.error === 'string'
      ? fields.error
      : typeof fields.reason === 'string'
        ? fields.reason
        : JSON.stringify(body);
  const hint =
    response.status === 401 ? ' (set GG_KEY or --key; release/revalidate/redrive need the admin key)' : '';
  // Scripts reading JSON still get the API's answer; people get one line on stderr.
  if (ctx.format === 'json' && body !== undefined) ctx.print(JSON.stringify(body, null, 2));
  ctx.printError(`gg: ${response.status} ${message}${hint}`);
  return exitCodeForStatus(response.status);
}

const text = (ctx: CommandContext, name: string): string | undefined => {
  const value = ctx.values[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/** Who acts: offline, the platform's principal header stands in for a sign-in (see local-principal.ts). */
function operatorHeaders(ctx: CommandContext): Record<string, string> {
  return { [CLIENT_PRINCIPAL_HEADER]: localPrincipal(text(ctx, 'by') ?? ctx.operator) };
}

function requireReason(ctx: CommandContext): string | undefined {
  const reason = text(ctx, 'reason');
  if (reason === undefined) ctx.printError('gg: --reason "<why>" is required; it is recorded with your name');
  return reason;
}

const runsList: Command = {
  path: ['runs', 'list'],
  summary: 'list validation runs, newest first',
  positionals: [],
  options: {
    state: {
      type: 'string',
      value: '<state>',
      description: 'Queued, Running, Passed, Failed, Inconclusive or Cancelled',
    },
    verdict: { type: 'string', value: '<verdict>', description: 'Passed, Failed or Inconclusive' },
    gallery: { type: 'string', value: '<name|id>', description: 'only runs of this gallery' },
    image: { type: 'string', value: '<name>', description: 'only runs of this image definition' },
    since: {
      type: 'string',
      value: '<when>',
      description: 'first seen at or after: ISO time or 30m, 24h, 7d',
    },
    limit: { type: 'string', value: '<n>', description: 'runs per page, 1-500 (default 50)' },
    'continuation-token': {
      type: 'string',
      value: '<token>',
      description: 'the next page, as printed by the previous one',
    },
    all: { type: 'boolean', description: 'follow every page' },
  },
  examples: [
    'gg runs list',
    'gg runs list --verdict Failed --since 7d',
    'gg runs list --all -o json | jq ".runs | length"',
  ],
  async run(ctx) {
    const query = {
      state: text(ctx, 'state'),
      verdict: text(ctx, 'verdict'),
      gallery: text(ctx, 'gallery'),
      image: text(ctx, 'image'),
      since: text(ctx, 'since'),
      limit: text(ctx, 'limit'),
      continuationToken: text(ctx, 'continuation-token'),
    };
    const first = await ctx.api.get('runs', query);
    if (ctx.values.all !== true || first.status !== 200) {
      return show<RunList>(ctx, first, (list) =>
        renderRunList(list, `gg runs list${ctx.args.length > 0 ? ` ${ctx.args.join(' ')}` : ''}`),
      );
    }
    const runs = [...(first.body as RunList).runs];
    let token = (first.body as RunList).continuationToken;
    for (let page = 1; token !== undefined && page < MAX_PAGES; page++) {
      const next = await ctx.api.get('runs', { ...query, continuationToken: token });
      if (next.status !== 200) return fail(ctx, next);
      runs.push(...(next.body as RunList).runs);
      token = (next.body as RunList).continuationToken;
    }
    return show<RunList>(
      ctx,
      { status: 200, body: { runs, ...(token === undefined ? {} : { continuationToken: token }) } },
      (list) => renderRunList(list, 'gg runs list'),
    );
  },
};

const runsShow: Command = {
  path: ['runs', 'show'],
  summary: 'one run in full: phases, VMs, checks with evidence, remediation, notifications',
  positionals: [
    {
      name: 'ref',
      required: true,
      description: 'image/version, gallery/image/version, a version id or a run id',
    },
  ],
  options: { attempt: { type: 'string', value: '<n>', description: 'that attempt instead of the latest' } },
  examples: ['gg runs show ubuntu-cloned/1.0.0', 'gg runs show ubuntu-cloned/1.0.0 --attempt 1 -o json'],
  async run(ctx) {
    const response = await ctx.api.get('runs/detail', { ref: ctx.args[0], attempt: text(ctx, 'attempt') });
    return show<RunDetail>(ctx, response, renderRunDetail);
  },
};

const inflight: Command = {
  path: ['inflight'],
  summary: 'runs in flight by phase, VM slots used per region and subscription, runs waiting for slots',
  positionals: [],
  options: {},
  examples: ['gg inflight', 'watch -n 5 gg inflight'],
  async run(ctx) {
    return show<InFlightView>(ctx, await ctx.api.get('inflight'), renderInflight);
  },
};

const health: Command = {
  path: ['health'],
  summary: 'configuration, scopes, queue and poison depth, timer last runs, storage and ARM reachability',
  positionals: [],
  options: {},
  examples: ['gg health', 'gg health -o json | jq .problems'],
  async run(ctx) {
    const response = await ctx.api.get('health');
    const code = show<HealthReport>(ctx, response, renderHealth);
    if (code !== ExitCode.Ok) return code;
    return (response.body as HealthReport).status === 'ok' ? ExitCode.Ok : ExitCode.Unhealthy;
  },
};

function versionAction(
  action: 'release' | 'revalidate' | 'rollback',
  summary: string,
  example: string,
): Command {
  return {
    path: [action],
    summary,
    positionals: [
      { name: 'ref', required: true, description: 'image/version, gallery/image/version or a version id' },
    ],
    options: REASON_OPTIONS,
    examples: [example],
    async run(ctx) {
      const reason = requireReason(ctx);
      if (reason === undefined) return ExitCode.Usage;
      const response = await ctx.api.post(
        `versions/${action}`,
        { versionId: ctx.args[0], reason },
        operatorHeaders(ctx),
      );
      return show(ctx, response, renderVersionAction);
    },
  };
}

const poisonList: Command = {
  path: ['poison', 'list'],
  summary: 'messages in gg-runs-poison and the runs they belong to',
  positionals: [],
  options: {},
  examples: ['gg poison list'],
  async run(ctx) {
    return show<PoisonView>(ctx, await ctx.api.get('poison'), renderPoison);
  },
};

const poisonRedrive: Command = {
  path: ['poison', 'redrive'],
  summary: 'put poisoned run messages back on the run queue (one by id, or --all)',
  positionals: [
    { name: 'messageId', required: false, description: 'the message to re-drive (from gg poison list)' },
  ],
  options: { ...REASON_OPTIONS, all: { type: 'boolean', description: 'every message in the poison queue' } },
  examples: [
    'gg poison redrive --all --reason "storage outage over"',
    'gg poison redrive 3f2a... --reason "fixed the CA path"',
  ],
  async run(ctx) {
    const reason = requireReason(ctx);
    if (reason === undefined) return ExitCode.Usage;
    const messageId = ctx.args[0];
    if ((messageId === undefined) === (ctx.values.all !== true)) {
      ctx.printError('gg: name one message id, or pass --all');
      return ExitCode.Usage;
    }
    const response = await ctx.api.post('poison/redrive', { messageId, reason }, operatorHeaders(ctx));
    const code = show<RedriveOutcome>(ctx, response, renderRedrive);
    if (code !== ExitCode.Ok) return code;
    const outcome = response.body as RedriveOutcome;
    return messageId !== undefined && outcome.redriven.length === 0 ? ExitCode.NotFound : ExitCode.Ok;
  },
};

const auditRun: Command = {
  path: ['audit', 'run'],
  summary: 'run the governance audit of every gallery in scope now and print its summary',
  positionals: [],
  options: {},
  examples: ['gg audit run', 'gg audit run -o json | jq ".galleries[].findings"'],
  async run(ctx) {
    return show<AuditSummary>(ctx, await ctx.api.post('audit', {}), renderAuditSummary);
  },
};

const auditFindings: Command = {
  path: ['audit', 'findings'],
  summary: 'the governance findings recorded by the audit (open ones by default)',
  positionals: [],
  options: {
    state: { type: 'string', value: '<state>', description: 'Open (default), Resolved or all' },
    owner: { type: 'string', value: '<owner>', description: 'only findings for this owner tag' },
  },
  examples: ['gg audit findings', 'gg audit findings --state all --owner team-linux@example.com'],
  async run(ctx) {
    const response = await ctx.api.get('audit/findings', {
      state: text(ctx, 'state'),
      owner: text(ctx, 'owner'),
    });
    return show<{ findings: readonly RecordedFinding[] }>(ctx, response, renderFindings);
  },
};

export const COMMANDS: readonly Command[] = [
  runsList,
  runsShow,
  inflight,
  health,
  versionAction(
    'release',
    "undo gallery-guard's exclusions of a version and resolve its page",
    'gg release ubuntu-cloned/1.0.0 --reason "false positive: cloned on purpose"',
  ),
  versionAction(
    'revalidate',
    'queue a fresh validation run of a version',
    'gg revalidate ubuntu-cloned/1.0.0 --reason "rebuilt with a fixed agent"',
  ),
  versionAction(
    'rollback',
    'exclude a version from latest in every region so latest resolves to the previous good version; prints what latest resolves to now',
    'gg rollback gg_demo_gallery/ubuntu/1.1.0 --reason "kernel regression reported by the web team"',
  ),
  poisonList,
  poisonRedrive,
  auditRun,
  auditFindings,
];

export { GLOBAL_OPTIONS };
