import type { IncomingMessage, ServerResponse } from 'node:http';
import { serialLog } from './guest/serial-log';
import { sendJson } from './server';
import type { ArmSimulatorControl } from './control';

/**
 * The admin API under /_sim (no auth; local only) and the boot-diagnostics blob under /_blob.
 * Neither is an ARM request: they are not counted and faults never apply.
 */
export function reservedPaths(control: ArmSimulatorControl) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL, body: unknown): Promise<boolean> => {
    const path = url.pathname.replace(/\/+$/, '');
    if (path.startsWith('/_blob/')) {
      serveBlob(control, res, url);
      return true;
    }
    if (!path.startsWith('/_sim')) return false;
    const method = req.method ?? 'GET';
    const route = `${method} ${path.slice('/_sim'.length) || '/'}`;
    try {
      const answer = await admin(control, route, url, body);
      if (answer === undefined)
        sendJson(res, 404, { error: { code: 'NotFound', message: `No admin route ${route}` } });
      else sendJson(res, 200, answer);
    } catch (error) {
      sendJson(res, 400, {
        error: { code: 'BadRequest', message: error instanceof Error ? error.message : String(error) },
      });
    }
    return true;
  };
}

const field = (body: unknown, name: string): unknown =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;

async function admin(c: ArmSimulatorControl, route: string, url: URL, body: unknown): Promise<unknown> {
  switch (route) {
    case 'GET /health':
      return { status: 'ok', endpoint: c.endpoint, timeScale: c.timeScale };
    case 'GET /resources':
      return { value: c.liveResources({ origin: url.searchParams.get('origin') ?? undefined }) };
    case 'GET /requests':
      return { value: c.sim.journal.after(Number(url.searchParams.get('after') ?? 0) || 0) };
    case 'GET /operations':
      return c.operationCounts();
    case 'DELETE /operations':
      c.resetOperationCounts();
      return c.operationCounts();
    case 'GET /throttled':
      return c.throttledCounts();
    case 'GET /subscription-throttle':
      return c.subscriptionThrottleCounts();
    case 'DELETE /subscription-throttle':
      c.resetSubscriptionThrottle();
      return c.subscriptionThrottleCounts();
    case 'GET /required-actions':
      return { actions: c.requiredActions() };
    case 'GET /faults':
      return c.faults();
    case 'PUT /faults': {
      const seed = field(body, 'seed');
      c.setFaults(field(body, 'rules') as never, typeof seed === 'number' ? seed : undefined);
      return c.faults();
    }
    case 'DELETE /faults':
      c.setFaults([]);
      return c.faults();
    case 'POST /reset': {
      const scenario = field(body, 'scenario');
      await c.reset(scenario === 'empty' ? 'empty' : 'demo');
      return { status: 'reset' };
    }
    case 'POST /seed': {
      const scenario = field(body, 'scenario');
      if (scenario !== 'demo' && scenario !== 'empty') throw new Error("scenario must be 'demo' or 'empty'");
      c.seed(scenario);
      return { status: 'seeded', scenario };
    }
    case 'PUT /guest-profiles': {
      const resourceId = field(body, 'resourceId');
      if (typeof resourceId !== 'string')
        throw new Error('resourceId (an image version or image definition id) is required');
      return c.setGuestProfile(resourceId, field(body, 'profile'));
    }
    case 'POST /clock/advance': {
      const seconds = field(body, 'seconds');
      if (typeof seconds !== 'number' || seconds < 0) throw new Error('seconds must be a number >= 0');
      c.advanceClock(seconds);
      return { status: 'advanced', seconds };
    }
    case 'GET /vms':
      return { value: c.guests() };
    case 'GET /vm-creations':
      return { value: c.vmCreations() };
    default:
      return undefined;
  }
}

/** The console screenshot: one black pixel (the simulator has no screen to capture). */
const BLACK_PIXEL_BMP = Buffer.from(
  '424d3a0000000000000036000000280000000100000001000000010018000000000004000000130b0000130b0000000000000000000000000000',
  'hex',
);

function serveBlob(c: ArmSimulatorControl, res: ServerResponse, url: URL): void {
  const sig = url.searchParams.get('sig') ?? '';
  const token = c.sim.blobTokens.get(sig);
  if (!token || token.expiresAtMs < Date.now()) {
    res.writeHead(403, { 'content-type': 'application/xml', 'x-ms-error-code': 'AuthenticationFailed' });
    res.end(
      '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.</Message></Error>',
    );
    return;
  }
  const runtime = c.sim.vms.get(token.vmId);
  if (runtime && url.pathname.endsWith('.screenshot.bmp')) {
    res.writeHead(200, {
      'content-type': 'image/bmp',
      'content-length': BLACK_PIXEL_BMP.length,
      'x-ms-blob-type': 'BlockBlob',
    });
    res.end(BLACK_PIXEL_BMP);
    return;
  }
  if (!runtime || !url.pathname.endsWith('.serialconsole.log')) {
    res.writeHead(404, { 'content-type': 'application/xml', 'x-ms-error-code': 'BlobNotFound' });
    res.end(
      '<?xml version="1.0" encoding="utf-8"?><Error><Code>BlobNotFound</Code><Message>The specified blob does not exist.</Message></Error>',
    );
    return;
  }
  const text = serialLog(runtime, (c.sim.clock.elapsedMs() - runtime.createdAtMs) / 1000);
  res.writeHead(200, {
    'content-type': 'text/plain',
    'content-length': Buffer.byteLength(text),
    'x-ms-blob-type': 'AppendBlob',
  });
  res.end(text);
}
