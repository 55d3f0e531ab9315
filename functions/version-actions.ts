import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import { TransientActionError } from '../shared/azure/action-errors';
import type { OperatorRequest } from '../shared/remediation/release-version';
import { releaseVersion } from '../shared/remediation/release-version';
import { revalidateVersion } from '../shared/events/revalidate-version';
import { rollbackVersion } from '../shared/rollout/rollback-version';
import { isTransientStorageError } from '../shared/azure/rest-errors';
import { toError } from '../shared/logging/logger';
import type { Services } from '../shared/app/services';
import { OperatorInputError } from '../shared/operator/operator-errors';
import { toVersionId } from '../shared/operator/version-ref';
import type { HttpFunctionDefinition } from './function-definition';
import { readBodyText } from './http-body';
import { operatorPrincipal, type VerifiedPrincipal } from './client-principal';

const MAX_BODY = 16 * 1024;

type Parsed = { readonly request: OperatorRequest } | { readonly error: string };

/**
 * The request body ({versionId, reason}); who asks is never taken from the body or a caller-supplied
 * header: it is the principal App Service authentication verified (see client-principal.ts).
 */
export async function parseOperatorRequest(
  request: HttpRequest,
  requestId: string,
  principal: VerifiedPrincipal,
): Promise<Parsed> {
  const text = await readBodyText(request, MAX_BODY);
  if (text === undefined) return { error: 'body too large' };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: 'body is not JSON' };
  }
  const { versionId, reason } = (body ?? {}) as Record<string, unknown>;
  if (typeof versionId !== 'string' || versionId.trim() === '') return { error: 'versionId is required' };
  if (typeof reason !== 'string' || reason.trim() === '') return { error: 'reason is required' };
  const requestedBy = `${principal.name} (${principal.objectId})`;
  return { request: { versionId: versionId.trim(), reason: reason.trim(), requestedBy, requestId } };
}

const STATUS: Record<string, number> = {
  released: 200,
  'nothing-to-release': 200,
  'rolled-back': 200,
  'nothing-to-roll-back': 200,
  // A person holds the version (gallery-guard-hold): nothing changed.
  held: 409,
  queued: 202,
  'already-running': 409,
  invalid: 400,
  'out-of-scope': 403,
  'version-not-found': 404,
};

type OperatorAction = 'release' | 'revalidate' | 'rollback';

function operatorHandler(services: Services, action: OperatorAction): HttpHandler {
  return async (request, context): Promise<HttpResponseInit> => {
    const log = services.logger.child({ invocationId: context.invocationId, function: context.functionName });
    const who = operatorPrincipal(request, services.config);
    if ('error' in who) {
      log.warn(`Refused ${action} request`, { status: who.status, reason: who.error });
      return { status: who.status, jsonBody: { error: who.error } };
    }
    const parsed = await parseOperatorRequest(request, context.invocationId, who.principal);
    if ('error' in parsed) {
      log.warn(`Rejected ${action} request`, { status: 400, reason: parsed.error });
      return { status: 400, jsonBody: { error: parsed.error } };
    }
    const deps = services.verdictActions;
    try {
      // `image/version` (one gallery in scope) or `gallery/image/version` stand for the full id.
      const operatorRequest = {
        ...parsed.request,
        versionId: toVersionId(parsed.request.versionId, services.config.ingest.galleryScopes),
      };
      const outcome =
        action === 'release'
          ? await releaseVersion(deps, operatorRequest, log)
          : action === 'rollback'
            ? await rollbackVersion(deps, operatorRequest, log)
            : await revalidateVersion(services, deps, operatorRequest, log);
      return {
        status: STATUS[outcome.status] ?? 200,
        jsonBody: {
          action,
          versionId: operatorRequest.versionId,
          requestedBy: operatorRequest.requestedBy,
          operatorReason: operatorRequest.reason,
          ...outcome,
        },
      };
    } catch (thrown) {
      if (thrown instanceof OperatorInputError) {
        log.warn(`Rejected ${action} request`, { status: 400, reason: thrown.message });
        return { status: 400, jsonBody: { error: thrown.message } };
      }
      const error = toError(thrown);
      if (error instanceof TransientActionError || isTransientStorageError(thrown)) {
        log.warn(`${action} failed transiently; the caller may retry`, { error });
        return {
          status: 503,
          headers: { 'retry-after': '10' },
          jsonBody: { error: 'temporarily unavailable, retry' },
        };
      }
      log.error(`${action} failed`, { error });
      return { status: 500, jsonBody: { error: `${action} failed: ${error.name}` } };
    }
  };
}

/**
 * `POST /api/versions/release` {versionId, reason}: undo gallery-guard's exclusions. The admin key gets
 * the request to the handler; lifting a quarantine also needs a verified operator principal.
 */
export function versionReleaseFunction(services: Services): HttpFunctionDefinition {
  return {
    name: 'versions-release',
    trigger: { type: 'http', route: 'versions/release', methods: ['POST'], authLevel: 'admin' },
    handler: operatorHandler(services, 'release'),
  };
}

/** `POST /api/versions/revalidate` {versionId, reason}: queue a fresh run (verified operator only). */
export function versionRevalidateFunction(services: Services): HttpFunctionDefinition {
  return {
    name: 'versions-revalidate',
    trigger: { type: 'http', route: 'versions/revalidate', methods: ['POST'], authLevel: 'admin' },
    handler: operatorHandler(services, 'revalidate'),
  };
}

/**
 * `POST /api/versions/rollback` {versionId, reason}: exclude the version from latest in every region
 * so latest resolves to the previous good version; answers what latest resolves to per region now.
 * Like release, the admin key gets the request in and a verified operator principal is required.
 */
export function versionRollbackFunction(services: Services): HttpFunctionDefinition {
  return {
    name: 'versions-rollback',
    trigger: { type: 'http', route: 'versions/rollback', methods: ['POST'], authLevel: 'admin' },
    handler: operatorHandler(services, 'rollback'),
  };
}
