import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import { TransientActionError } from '../shared/azure/action-errors';
import type { OperatorRequest } from '../shared/remediation/release-version';
import { releaseVersion } from '../shared/remediation/release-version';
import { revalidateVersion } from '../shared/events/revalidate-version';
import { isTransientStorageError } from '../shared/azure/rest-errors';
import { toError } from '../shared/logging/logger';
import type { Services } from '../shared/app/services';
import type { HttpFunctionDefinition } from './function-definition';
import { readBodyText } from './http-body';

/** App Service authentication (Easy Auth) puts the signed-in caller here; it wins over the body. */
const PRINCIPAL_HEADER = 'x-ms-client-principal-name';
const MAX_BODY = 16 * 1024;

type Parsed = { readonly request: OperatorRequest } | { readonly error: string };

export async function parseOperatorRequest(request: HttpRequest, requestId: string): Promise<Parsed> {
  const text = await readBodyText(request, MAX_BODY);
  if (text === undefined) return { error: 'body too large' };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: 'body is not JSON' };
  }
  const { versionId, reason, requestedBy } = (body ?? {}) as Record<string, unknown>;
  if (typeof versionId !== 'string' || versionId.trim() === '') return { error: 'versionId is required' };
  if (typeof reason !== 'string' || reason.trim() === '') return { error: 'reason is required' };
  const principal = request.headers.get(PRINCIPAL_HEADER)?.trim();
  const who =
    principal !== undefined && principal !== ''
      ? principal
      : typeof requestedBy === 'string'
        ? requestedBy.trim()
        : '';
  if (who === '') return { error: `requestedBy is required (or sign in: ${PRINCIPAL_HEADER})` };
  return { request: { versionId: versionId.trim(), reason: reason.trim(), requestedBy: who, requestId } };
}

const STATUS: Record<string, number> = {
  released: 200,
  'nothing-to-release': 200,
  queued: 202,
  'already-running': 409,
  invalid: 400,
  'out-of-scope': 403,
  'version-not-found': 404,
};

function operatorHandler(services: Services, action: 'release' | 'revalidate'): HttpHandler {
  return async (request, context): Promise<HttpResponseInit> => {
    const log = services.logger.child({ invocationId: context.invocationId, function: context.functionName });
    const parsed = await parseOperatorRequest(request, context.invocationId);
    if ('error' in parsed) {
      log.warn(`Rejected ${action} request`, { status: 400, reason: parsed.error });
      return { status: 400, jsonBody: { error: parsed.error } };
    }
    const deps = services.verdictActions;
    try {
      const outcome =
        action === 'release'
          ? await releaseVersion(deps, parsed.request, log)
          : await revalidateVersion(services, deps, parsed.request, log);
      return {
        status: STATUS[outcome.status] ?? 200,
        jsonBody: { action, requestedBy: parsed.request.requestedBy, ...outcome },
      };
    } catch (thrown) {
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

/** `POST /api/versions/release` {versionId, reason, requestedBy}: undo gallery-guard's exclusions. */
export function versionReleaseFunction(services: Services): HttpFunctionDefinition {
  return {
    name: 'versions-release',
    trigger: { type: 'http', route: 'versions/release', methods: ['POST'], authLevel: 'admin' },
    handler: operatorHandler(services, 'release'),
  };
}

/** `POST /api/versions/revalidate` {versionId, reason, requestedBy}: queue a fresh validation run. */
export function versionRevalidateFunction(services: Services): HttpFunctionDefinition {
  return {
    name: 'versions-revalidate',
    trigger: { type: 'http', route: 'versions/revalidate', methods: ['POST'], authLevel: 'admin' },
    handler: operatorHandler(services, 'revalidate'),
  };
}
