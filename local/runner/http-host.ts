import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, HttpResponse, InvocationContext, type HttpResponseInit } from '@azure/functions';
import type { HttpFunctionDefinition } from '../../functions/function-definition';
import { toError, type Logger } from '../../shared/logging/logger';
import { hasValidFunctionKey } from './function-key';
import { invocationLogHandler } from './invocation-log';
import { matchRoute } from './route-match';

export interface HttpHostOptions {
  readonly functions: readonly HttpFunctionDefinition[];
  readonly functionKey: string;
  readonly host: string;
  readonly port: number;
  readonly maxBodyBytes: number;
  readonly logger: Logger;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Reads the body, giving up (undefined) as soon as it exceeds the limit. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function writeResponse(
  res: ServerResponse,
  result: HttpResponseInit | HttpResponse | void,
): Promise<void> {
  const response = result instanceof HttpResponse ? result : new HttpResponse(result ?? { status: 204 });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, headers);
  res.end(body);
}

/**
 * A small stand-in for the Functions host's HTTP front end: `/api/<route>`, method check, function keys
 * for authLevel function/admin (locally one key serves both), 413 above the body limit, then the very
 * same handler with real HttpRequest / InvocationContext objects from @azure/functions.
 */
export async function startHttpHost(
  options: HttpHostOptions,
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const { functions, logger } = options;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? options.host}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/api(\/|$)/i, '/');
    if (!/^\/api(\/|$)/i.test(url.pathname)) return send(res, 404, { error: 'not found' });
    const candidates = functions
      .map((definition) => ({ definition, params: matchRoute(definition.trigger.route, path) }))
      .filter(
        (c): c is { definition: HttpFunctionDefinition; params: Record<string, string> } =>
          c.params !== undefined,
      );
    if (candidates.length === 0) return send(res, 404, { error: 'not found' });
    const match = candidates.find((c) => c.definition.trigger.methods.includes(method as never));
    if (match === undefined) return send(res, 405, { error: `method ${method} not allowed` });
    const { definition, params } = match;
    const log = logger.child({ function: definition.name });
    if (
      definition.trigger.authLevel !== 'anonymous' &&
      !hasValidFunctionKey(req.headers, url.searchParams, options.functionKey)
    ) {
      log.warn('Rejected request: missing or wrong function key', {
        status: 401,
        method,
        path: url.pathname,
      });
      return send(res, 401, { error: 'missing or invalid function key' });
    }
    const body = await readBody(req, options.maxBodyBytes);
    if (body === undefined) {
      log.warn('Rejected request: body too large', { status: 413, limitBytes: options.maxBodyBytes });
      return send(res, 413, { error: 'payload too large' });
    }
    const request = new HttpRequest({
      method,
      url: url.toString(),
      headers: headerRecord(req),
      params,
      body: body.length > 0 ? { bytes: body } : undefined,
    });
    const invocationId = randomUUID();
    const context = new InvocationContext({
      invocationId,
      functionName: definition.name,
      logHandler: invocationLogHandler(log.child({ invocationId })),
      triggerMetadata: {},
    });
    try {
      await writeResponse(res, await definition.handler(request, context));
    } catch (thrown) {
      log.error('Function threw', { invocationId, error: toError(thrown) });
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
    }
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((thrown: unknown) => {
      logger.error('Runner failed to serve request', { error: toError(thrown) });
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
