import { randomUUID } from 'node:crypto';
import type { HttpHandler, TimerHandler } from '@azure/functions';
import type { Services } from '../shared/app/services';
import { FindingState } from '../shared/audit/finding-ledger';
import { runGalleryAudit } from '../shared/audit/run-audit';
import { sendAuditDigests } from '../shared/audit/send-digests';
import type { HttpFunctionDefinition, TimerFunctionDefinition } from './function-definition';

const auditDeps = (services: Services, invocationId: string) => ({
  ...services.galleryAudit,
  logger: services.logger.child({ invocationId }),
});

/** Daily (GG_AUDIT_SCHEDULE) governance audit of every gallery in scope. */
export function auditTimerFunction(services: Services): TimerFunctionDefinition {
  const handler: TimerHandler = async (_timer, context) => {
    await runGalleryAudit(auditDeps(services, context.invocationId), 'timer', randomUUID());
  };
  return {
    name: 'governance-audit',
    trigger: { type: 'timer', schedule: services.config.audit.schedule },
    handler,
  };
}

/** `POST /api/audit`: run the audit now; answers its summary (502 when a gallery could not be read). */
export function auditHttpFunction(services: Services): HttpFunctionDefinition {
  const handler: HttpHandler = async (_request, context) => {
    const summary = await runGalleryAudit(
      auditDeps(services, context.invocationId),
      'http',
      context.invocationId,
    );
    const failed = summary.galleries.some((g) => g.status === 'failed');
    return { status: failed ? 502 : 200, jsonBody: summary };
  };
  return {
    name: 'governance-audit-run',
    trigger: { type: 'http', route: 'audit', methods: ['POST'], authLevel: 'function' },
    handler,
  };
}

/** `GET /api/audit/findings?state=Open|Resolved&owner=<owner>`: the recorded findings. */
export function auditFindingsFunction(services: Services): HttpFunctionDefinition {
  const handler: HttpHandler = async (request) => {
    const raw = request.query.get('state') ?? 'Open';
    const state = Object.values(FindingState).find((s) => s.toLowerCase() === raw.toLowerCase());
    if (state === undefined && raw.toLowerCase() !== 'all') {
      return { status: 400, jsonBody: { error: 'state must be Open, Resolved or all' } };
    }
    const owner = request.query.get('owner');
    const findings = (await services.findings.list(state === undefined ? {} : { state })).filter(
      (f) => owner === null || (f.owner ?? '').toLowerCase() === owner.toLowerCase(),
    );
    return { status: 200, jsonBody: { findings } };
  };
  return {
    name: 'governance-audit-findings',
    trigger: { type: 'http', route: 'audit/findings', methods: ['GET'], authLevel: 'function' },
    handler,
  };
}

/** Weekly (GG_AUDIT_DIGEST_SCHEDULE) digest card per owner of their open findings. */
export function auditDigestFunction(services: Services): TimerFunctionDefinition {
  const handler: TimerHandler = async (_timer, context) => {
    await sendAuditDigests(
      {
        findings: services.findings,
        delivery: services.delivery,
        notify: services.config.notify,
        clock: services.clock,
      },
      services.logger.child({ invocationId: context.invocationId }),
    );
  };
  return {
    name: 'governance-audit-digest',
    trigger: { type: 'timer', schedule: services.config.audit.digestSchedule },
    handler,
  };
}
