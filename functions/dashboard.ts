import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import type { Services } from '../shared/app/services';
import { loadDashboardAssets, type DashboardAssets } from '../shared/dashboard/dashboard-assets';
import { toError } from '../shared/logging/logger';
import type { HttpFunctionDefinition } from './function-definition';

const SECURITY_HEADERS = {
  // Only the project's own files: no CDN, no inline script, no framing.
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** Reads the dashboard folder on first use; a missing folder answers 500 and says so in the log. */
function assetsOf(): () => DashboardAssets {
  let assets: DashboardAssets | undefined;
  return () => (assets ??= loadDashboardAssets());
}

function serve(
  services: Services,
  pick: (assets: DashboardAssets, file: string) => HttpResponseInit | undefined,
): HttpHandler {
  const assets = assetsOf();
  return (request, context) => {
    try {
      const found = pick(assets(), request.params.file ?? '');
      return found ?? { status: 404, jsonBody: { error: 'not found' } };
    } catch (thrown) {
      services.logger.error('dashboard assets unavailable', {
        invocationId: context.invocationId,
        error: toError(thrown),
      });
      return { status: 500, jsonBody: { error: 'dashboard assets unavailable' } };
    }
  };
}

/**
 * `GET /api/dashboard`: the dashboard page (function key, like the operator API it reads; the page
 * passes the key on to the API). Behind App Service authentication the signed-in user's name is what
 * release/revalidate record.
 */
export function dashboardPageFunction(services: Services): HttpFunctionDefinition {
  return {
    name: 'dashboard-page',
    trigger: { type: 'http', route: 'dashboard', methods: ['GET'], authLevel: 'function' },
    handler: serve(services, (assets) => ({
      status: 200,
      headers: { ...SECURITY_HEADERS, 'content-type': assets.page.contentType },
      body: assets.page.body,
    })),
  };
}

/**
 * `GET /api/dashboard/assets/{file}`: the page's scripts and styles. Anonymous: they are the
 * project's open-source code and hold no data (every datum comes from the keyed API); a browser
 * cannot send a key header with `<script src>`.
 */
export function dashboardAssetsFunction(services: Services): HttpFunctionDefinition {
  return {
    name: 'dashboard-assets',
    trigger: { type: 'http', route: 'dashboard/assets/{file}', methods: ['GET'], authLevel: 'anonymous' },
    handler: serve(services, (assets, file) => {
      const asset = assets.asset(`assets/${file}`);
      return asset === undefined
        ? undefined
        : {
            status: 200,
            headers: { ...SECURITY_HEADERS, 'content-type': asset.contentType },
            body: asset.body,
          };
    }),
  };
}
