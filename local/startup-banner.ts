import type { FunctionDefinition } from '../functions/function-definition';
import type { Config } from '../shared/config';
import type { LocalConfig } from './local-config';
import { DEFAULT_PORT, type StartedLocalService } from './local-service';

const DEFAULT_LOCAL_KEY = 'local-dev-key';

/** What `npm start` prints: where things run, what is served, and a ready-to-paste sample request. */
export function startupBanner(input: {
  file: string;
  runnerUrl: string;
  definitions: readonly FunctionDefinition[];
  config: Config;
  local: LocalConfig;
  started: readonly StartedLocalService[];
}): string {
  const base = input.runnerUrl.replace('127.0.0.1', 'localhost');
  // The built-in development key is printed as is; a key the user chose is not echoed.
  const key = input.local.functionKey === DEFAULT_LOCAL_KEY ? DEFAULT_LOCAL_KEY : '<GG_LOCAL_FUNCTION_KEY>';
  const lines = [`gallery-guard running offline (settings from ${input.file})`, ''];
  for (const service of input.started) lines.push(...service.describe.map((l) => `  ${l}`));
  lines.push(
    '',
    `Functions on ${base}/api (function key: ?code=<GG_LOCAL_FUNCTION_KEY> or x-functions-key):`,
  );
  for (const d of input.definitions) {
    const { trigger } = d;
    if (trigger.type === 'http')
      lines.push(`  ${trigger.methods.join(',').padEnd(12)} /api/${trigger.route}  (${d.name})`);
    else if (trigger.type === 'queue') lines.push(`  queue        ${trigger.queueName}  (${d.name})`);
    else lines.push(`  timer        ${trigger.schedule}  (${d.name})`);
  }
  const gg = `${input.local.port === DEFAULT_PORT ? '' : `GG_LOCAL_PORT=${input.local.port} `}npx gg`;
  lines.push(
    '',
    `Galleries in scope: ${input.config.ingest.galleryScopes.map((g) => g.gallery).join(', ')}`,
    '',
    'Send a sample event, then look at the runs:',
    `  curl -s -X POST "${base}/api/events/eventgrid?code=${key}" \\`,
    `       -H 'content-type: application/json' --data @local/samples/eventgrid-version-write.json`,
    `  ${gg} runs list          (or: curl -s "${base}/api/runs?code=${key}")`,
    `  ${gg} runs show ubuntu-healthy/1.0.0 · ${gg} inflight · ${gg} health · ${gg} --help`,
    'Ctrl+C stops everything.',
  );
  return lines.join('\n');
}
