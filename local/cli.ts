// `npm run gg -- <release|revalidate> <versionId> --reason "..." [--by who] [--url base] [--key functionKey]`
// A thin client of the operator API (POST /api/versions/<action>); it holds no logic of its own.
import { userInfo } from 'node:os';
import { loadLocalSettings } from './local-settings';

export interface CliIo {
  readonly fetch: typeof fetch;
  readonly print: (line: string) => void;
  /** Defaults for --url/--key/--by (npm start's runner and local settings). */
  readonly defaults: { readonly url: string; readonly key: string; readonly by: string };
}

const USAGE =
  'usage: gg <release|revalidate> <versionId> --reason "<why>" [--by <who>] [--url <base url>] [--key <function key>]';

function parseArgs(
  argv: readonly string[],
): { positional: string[]; flags: Record<string, string> } | string {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      const value = argv[i + 1];
      if (value === undefined) return `missing value for ${arg}`;
      flags[arg.slice(2)] = value;
      i++;
    } else positional.push(arg);
  }
  return { positional, flags };
}

/** Runs one command; returns the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    io.print(`${parsed}\n${USAGE}`);
    return 2;
  }
  const [action, versionId] = parsed.positional;
  const { reason } = parsed.flags;
  if ((action !== 'release' && action !== 'revalidate') || versionId === undefined || reason === undefined) {
    io.print(USAGE);
    return 2;
  }
  const base = (parsed.flags.url ?? io.defaults.url).replace(/\/+$/, '');
  const response = await io.fetch(`${base}/api/versions/${action}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-functions-key': parsed.flags.key ?? io.defaults.key,
      'x-ms-client-principal': localPrincipal(parsed.flags.by ?? io.defaults.by),
    },
    body: JSON.stringify({ versionId, reason }),
  });
  const text = await response.text();
  io.print(`${response.status} ${text}`);
  return response.ok ? 0 : 1;
}

/**
 * Offline stand-in for App Service authentication: the local runner has no Entra ID, so the CLI says
 * who it is in the header the platform would inject (an operator named --by). In Azure the platform
 * does not let a request set this header (it injects the verified caller), so this grants nothing
 * there: sign in to the app registration instead.
 */
function localPrincipal(by: string): string {
  const claims = [
    { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: `local:${by}` },
    { typ: 'preferred_username', val: by },
    { typ: 'roles', val: 'GalleryGuard.Operator' },
  ];
  return Buffer.from(JSON.stringify({ auth_typ: 'aad', claims })).toString('base64');
}

if (require.main === module) {
  const { env } = loadLocalSettings();
  runCli(process.argv.slice(2), {
    fetch,
    print: (line) => console.log(line),
    defaults: {
      url: 'http://localhost:7071',
      key: env.GG_LOCAL_FUNCTION_KEY ?? 'local-dev-key',
      by: userInfo().username,
    },
  })
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
      process.exit(1);
    });
}
