import { COMMANDS } from '../../../cli/commands';
import { ExitCode, exitCodeForStatus } from '../../../cli/exit-codes';
import { runCli, type CliIo } from '../../../cli/main';

interface Call {
  readonly url: string;
  readonly method: string;
  readonly key: string | null;
  readonly body?: unknown;
  /** preferred_username of the x-ms-client-principal the CLI sent offline. */
  readonly principal?: string;
}

function io(
  answer: (call: Call) => { status: number; body?: unknown } | Error,
  env: Record<string, string> = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const calls: Call[] = [];
  const fake = ((input: URL | string, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const call: Call = {
      url: String(input),
      method: init?.method ?? 'GET',
      key: headers.get('x-functions-key'),
      ...(typeof init?.body === 'string' ? { body: JSON.parse(init.body) as unknown } : {}),
      ...principalOf(headers.get('x-ms-client-principal')),
    };
    calls.push(call);
    const result = answer(call);
    if (result instanceof Error) return Promise.reject(result);
    const body = result.body === undefined ? '' : JSON.stringify(result.body);
    return Promise.resolve(new Response(body, { status: result.status }));
  }) as typeof fetch;
  const cliIo: CliIo = {
    env,
    fetch: fake,
    print: (l) => out.push(l),
    printError: (l) => err.push(l),
    isTty: false,
    localSettings: () => ({ GG_LOCAL_FUNCTION_KEY: 'from-local-settings' }),
    operator: 'unit-user',
  };
  return { io: cliIo, out, err, calls };
}

const never = () => new Error('no request expected');

function principalOf(header: string | null): { principal?: string } {
  if (header === null) return {};
  const { claims } = JSON.parse(Buffer.from(header, 'base64').toString()) as {
    claims: { typ: string; val: string }[];
  };
  return { principal: claims.find((c) => c.typ === 'preferred_username')?.val };
}

describe('gg help', () => {
  it('gg --help lists every command and the exit codes, exit 0', async () => {
    const t = io(never);
    expect(await runCli(['--help'], t.io)).toBe(0);
    const text = t.out.join('\n');
    for (const command of COMMANDS) expect(text).toContain(`  ${command.path.join(' ')}`);
    expect(text).toMatch(/Exit codes: 0 ok/);
    expect(t.calls).toEqual([]);
  });

  it.each(COMMANDS.map((c) => [c.path.join(' ')]))(
    'gg %s --help shows its usage, options and examples',
    async (path) => {
      const t = io(never);
      expect(await runCli([...path.split(' '), '--help'], t.io)).toBe(0);
      const text = t.out.join('\n');
      expect(text).toMatch(new RegExp(`^gg ${path}: `));
      expect(text).toMatch(new RegExp(`Usage: gg ${path}`));
      expect(text).toContain('Global options:');
      expect(text).toContain('Examples:');
      expect(t.calls).toEqual([]);
    },
  );

  it('gg help <command> and gg <group> --help work too', async () => {
    const t = io(never);
    expect(await runCli(['help', 'runs', 'show'], t.io)).toBe(0);
    expect(t.out.join('\n')).toMatch(/^gg runs show: /);
    expect(await runCli(['poison', '--help'], t.io)).toBe(0);
    expect(t.out.join('\n')).toContain('gg poison list');
  });

  it('gg without a command prints the help and exits 2', async () => {
    const t = io(never);
    expect(await runCli([], t.io)).toBe(ExitCode.Usage);
    expect(t.out.join('\n')).toMatch(/^gg: the gallery-guard operator CLI/);
  });
});

describe('gg arguments', () => {
  it.each([
    [['nonsense'], /unknown command "nonsense"/],
    [['runs', 'list', '--colour'], /Unknown option '--colour'/],
    [['runs', 'show'], /runs show takes 1 argument\(s\) \(ref\)/],
    [['runs', 'list', '-o', 'yaml'], /-o\/--output must be table or json/],
    [['release', 'img/1.0.0'], /--reason "<why>" is required/],
  ])('%j is a usage error (exit 2) that says what is wrong', async (args, message) => {
    const t = io(never);
    expect(await runCli(args, t.io)).toBe(ExitCode.Usage);
    expect(t.err.join('\n')).toMatch(message);
    expect(t.calls).toEqual([]);
  });

  it('talks to npm start on GG_LOCAL_PORT with its local key when GG_URL and GG_KEY are unset', async () => {
    const t = io(() => ({ status: 200, body: { runs: [] } }), { GG_LOCAL_PORT: '7099' });
    expect(await runCli(['runs', 'list', '--state', 'Failed'], t.io)).toBe(0);
    expect(t.calls).toEqual([
      { url: 'http://localhost:7099/api/runs?state=Failed', method: 'GET', key: 'from-local-settings' },
    ]);
    expect(JSON.parse(t.out.join('\n'))).toEqual({ runs: [] }); // piped: JSON by default
  });

  it('uses GG_URL and GG_KEY, sends the reason and --by, and maps statuses to exit codes', async () => {
    const t = io(() => ({ status: 409, body: { status: 'already-running', reason: 'run x is Running' } }), {
      GG_URL: 'https://app.example.net/',
      GG_KEY: 'admin-key',
    });
    expect(await runCli(['revalidate', 'img/1.0.0', '--reason', 'new agent', '--by', 'zoe'], t.io)).toBe(
      ExitCode.Refused,
    );
    expect(t.calls).toEqual([
      {
        url: 'https://app.example.net/api/versions/revalidate',
        method: 'POST',
        key: 'admin-key',
        body: { versionId: 'img/1.0.0', reason: 'new agent' },
        principal: 'zoe',
      },
    ]);
    expect(t.err.join('\n')).toBe('gg: 409 run x is Running');
  });

  it('says how to fix a wrong key (exit 5) and an unreachable API (exit 1)', async () => {
    const bad = io(() => ({ status: 401, body: { error: 'missing or invalid function key' } }), {
      GG_URL: 'http://x',
    });
    expect(await runCli(['health'], bad.io)).toBe(ExitCode.Unauthorized);
    expect(bad.err.join('\n')).toMatch(/401 missing or invalid function key \(set GG_KEY or --key/);
    const down = io(
      () => new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:7071') }),
    );
    expect(await runCli(['inflight'], down.io)).toBe(ExitCode.Failed);
    expect(down.err.join('\n')).toMatch(
      /cannot reach http:\/\/localhost:7071\/api\/inflight: connect ECONNREFUSED.*is npm start running\?/,
    );
  });

  it('exits 6 when gg health finds problems', async () => {
    const report = { status: 'degraded', problems: ['1 message(s) in gg-runs-poison'] };
    const t = io(() => ({ status: 200, body: report }));
    expect(await runCli(['health', '-o', 'json'], t.io)).toBe(ExitCode.Unhealthy);
  });

  it.each([
    [200, 0],
    [202, 0],
    [400, 2],
    [401, 5],
    [403, 4],
    [404, 3],
    [409, 4],
    [500, 1],
    [503, 1],
  ])('HTTP %d exits %d', (status, code) => {
    expect(exitCodeForStatus(status)).toBe(code);
  });
});
