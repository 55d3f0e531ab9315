import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkApiVersion } from './api-versions';
import { ArmError } from './arm-error';
import { computeChargeOf, type ComputeThrottle } from './compute-throttle';
import type { RateLimitHeaders } from './rate-limit-headers';
import { actorOf, type SubscriptionThrottle } from './subscription-throttle';
import type { HandlerResult, RequestContext, Router } from './router';
import type { SimState } from './sim-state';
import type { JournalEntry } from './request-journal';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface Transport {
  readonly sim: SimState;
  readonly router: Router;
  readonly rateLimits: RateLimitHeaders;
  readonly computeThrottle: ComputeThrottle;
  readonly subscriptionThrottle: SubscriptionThrottle;
  /** Reserved paths outside ARM (admin API, boot-diagnostics blobs); true when handled. */
  readonly extra: (req: IncomingMessage, res: ServerResponse, url: URL, body: unknown) => Promise<boolean>;
  readonly onError: (error: Error) => void;
  /** Called once per ARM request answered (access log). */
  readonly onRequest?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** RBAC operation, when the path matched a route. */
  readonly operation?: string;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new ArmError(413, 'RequestEntityTooLarge', 'The request content is too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim().length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ArmError(
      400,
      'InvalidRequestContent',
      'The request content was invalid and could not be deserialized.',
    );
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** One ARM request: auth, api-version, routing, counting, faults, then the provider handler. */
export function armRequestListener(t: Transport): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(t, req, res).catch((error: unknown) => {
      const err = error instanceof Error ? error : new Error(String(error));
      t.onError(err);
      if (!res.headersSent)
        sendJson(res, 500, {
          error: { code: 'InternalServerError', message: 'Encountered internal server error.' },
        });
    });
  };
}

async function handle(t: Transport, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  const requestId = randomUUID();
  const base: Record<string, string> = {
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': String(req.headers['x-ms-correlation-request-id'] ?? requestId),
    'x-ms-routing-request-id': `LOCAL:${new Date().toISOString().replace(/[-:.]/g, '')}:${requestId}`,
  };
  // The journal records the simulator's answer when it gives it, even to a client that already went
  // away (a killed app): Azure acts on a request whether or not its caller lives to read the reply.
  const journalled: { entry?: JournalEntry } = {};
  const answered = (status: number): void => {
    if (journalled.entry !== undefined) t.sim.journal.close(journalled.entry, status);
  };
  const respond = (result: HandlerResult): void => {
    answered(result.status);
    sendJson(res, result.status, result.body, { ...base, ...result.headers });
  };
  const fail = (error: ArmError, extra: Record<string, string> = {}): void => {
    answered(error.status);
    sendJson(res, error.status, error.toBody(), { ...base, ...extra, ...error.extra.headers });
  };

  let body: unknown;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof ArmError) return fail(error);
    throw error;
  }
  t.sim.scheduler.runDue();
  if (await t.extra(req, res, url, body)) return;

  const auth = req.headers.authorization;
  if (typeof auth !== 'string' || !/^Bearer\s+\S+/i.test(auth)) {
    return fail(
      new ArmError(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing.",
      ),
    );
  }
  if (!url.searchParams.get('api-version')) {
    return fail(
      new ArmError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      ),
    );
  }
  const path = decodeURI(url.pathname);
  const match = t.router.match(method, path);
  if (!match) {
    if (t.router.hasPath(path))
      return fail(
        new ArmError(
          405,
          'MethodNotAllowed',
          `The requested method '${method}' is not allowed for this resource.`,
        ),
      );
    return fail(
      new ArmError(
        404,
        'InvalidResourceType',
        `The resource type could not be found for path '${path}' and api version '${url.searchParams.get('api-version') ?? ''}'.`,
      ),
    );
  }
  const { route, params } = match;
  try {
    checkApiVersion(match.resourceType, url.searchParams.get('api-version') ?? '', regionsOf(t.sim, params));
  } catch (error) {
    if (error instanceof ArmError) return fail(error);
    throw error;
  }
  t.sim.counter.request(route.operation);
  journalled.entry = t.sim.journal.open(method, path, route.operation);
  res.once('finish', () => {
    t.onRequest?.({ method, path, status: res.statusCode, operation: route.operation });
  });
  let limits = t.rateLimits.headersFor(route.operation);
  // ARM throttles a subscription's requests before routing them to the resource provider.
  if (params.subscriptionId !== undefined) {
    try {
      limits = { ...limits, ...t.subscriptionThrottle.charge({ subscriptionId: params.subscriptionId, actor: actorOf(auth), method }) }; // prettier-ignore
    } catch (error) {
      if (error instanceof ArmError) return fail(error);
      throw error;
    }
  }
  const charge = computeChargeOf({
    operation: route.operation,
    method,
    params,
    vm: (id) => t.sim.store.get(id),
    operationResource: () => t.sim.lro.get(path)?.resourceId,
  });
  if (charge !== undefined) {
    try {
      limits = { ...limits, ...t.computeThrottle.charge(charge) };
    } catch (error) {
      if (error instanceof ArmError) return fail(error, limits);
      throw error;
    }
  }

  const fault = t.sim.faults.decide({ operation: route.operation, method, path });
  if (fault?.type === 'respond') return fail(fault.error, limits);
  if (fault?.type === 'hang') return; // never answered; the socket is destroyed on close

  const ctx: RequestContext = {
    sim: t.sim,
    method,
    path,
    query: url.searchParams,
    body,
    params,
    ...(fault ? { fault } : {}),
    linked: (operation) => t.sim.counter.linkedAccess(operation),
  };
  try {
    const result = await route.handler(ctx);
    respond({ ...result, headers: { ...limits, ...result.headers } });
  } catch (error) {
    if (error instanceof ArmError) return fail(error, limits);
    throw error;
  }
}

/** Regions for ARM's "supported locations": the one in the path first, then every simulated region. */
function regionsOf(sim: SimState, params: Readonly<Record<string, string>>): string[] {
  const all = Object.keys(sim.settings.regionSizes);
  const here = params.location?.toLowerCase();
  return here === undefined ? all : [here, ...all.filter((r) => r !== here)];
}
