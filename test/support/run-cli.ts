import { runCli } from '../../cli/main';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (the `-o json` output). */
  json<T = Record<string, unknown>>(): T;
}

/** Runs one `gg` command in-process against `url` with `key`, as a script would (stdout not a TTY). */
export async function gg(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  options: { isTty?: boolean } = {},
): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    env,
    fetch,
    print: (line) => out.push(line),
    printError: (line) => err.push(line),
    isTty: options.isTty ?? false,
    localSettings: () => ({}),
    operator: 'test-operator',
  });
  const stdout = out.join('\n');
  return { code, stdout, stderr: err.join('\n'), json: <T>() => JSON.parse(stdout) as T };
}
