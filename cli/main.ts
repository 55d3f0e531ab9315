// `gg`: the operator CLI. A thin client of the operator API; it holds no logic of its own and loads
// nothing but Node built-ins, so it starts in well under a second (bin/gg.js runs the built file).
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiUnreachableError, createApiClient } from './api-client';
import { GLOBAL_OPTIONS, type Command, type OptionSpec } from './command';
import { COMMANDS } from './commands';
import { ExitCode } from './exit-codes';
import { commandHelp, groupHelp, mainHelp } from './help';

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch: typeof fetch;
  readonly print: (line: string) => void;
  readonly printError: (line: string) => void;
  /** Whether stdout is a terminal (table output by default). */
  readonly isTty: boolean;
  /** `Values` of local.settings.json, for the local runner's key when GG_KEY is unset. */
  readonly localSettings: () => Readonly<Record<string, string>>;
  readonly operator: string;
}

type ParseOptions = Record<string, { type: 'string' | 'boolean'; short?: string }>;

function parserOptions(...specs: Readonly<Record<string, OptionSpec>>[]): ParseOptions {
  const out: ParseOptions = {};
  for (const spec of specs) {
    for (const [name, o] of Object.entries(spec))
      out[name] = { type: o.type, ...(o.short === undefined ? {} : { short: o.short }) };
  }
  return out;
}

function findCommand(words: readonly string[]): Command | undefined {
  return COMMANDS.find((c) => c.path.every((w, i) => words[i] === w));
}

/** Runs one `gg` invocation; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // First pass: every known option, not strict, only to find the command words and --help.
  const loose = parseArgs({
    args: [...argv],
    options: parserOptions(GLOBAL_OPTIONS, ...COMMANDS.map((c) => c.options)),
    allowPositionals: true,
    strict: false,
  });
  const words = loose.positionals;
  const wantsHelp = loose.values.help === true;
  if (words.length === 0 || (words[0] === 'help' && words.length === 1)) {
    io.print(mainHelp(COMMANDS));
    return wantsHelp || words[0] === 'help' ? ExitCode.Ok : ExitCode.Usage;
  }
  const helpTarget = words[0] === 'help' ? words.slice(1) : words;
  const command = findCommand(helpTarget);
  if (command === undefined) {
    if (COMMANDS.some((c) => c.path[0] === helpTarget[0] && c.path.length > 1)) {
      io.print(groupHelp(helpTarget[0]!, COMMANDS));
      return wantsHelp || words[0] === 'help' ? ExitCode.Ok : ExitCode.Usage;
    }
    io.printError(`gg: unknown command "${helpTarget.join(' ')}"\n\n${mainHelp(COMMANDS)}`);
    return ExitCode.Usage;
  }
  if (wantsHelp || words[0] === 'help') {
    io.print(commandHelp(command));
    return ExitCode.Ok;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: parserOptions(GLOBAL_OPTIONS, command.options),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.printError(`gg: ${error instanceof Error ? error.message : String(error)}\n\n${commandHelp(command)}`);
    return ExitCode.Usage;
  }
  const args = parsed.positionals.slice(command.path.length);
  const required = command.positionals.filter((p) => p.required).length;
  if (args.length < required || args.length > command.positionals.length) {
    const names = command.positionals.map((p) => p.name).join(', ') || 'none';
    io.printError(
      `gg: ${command.path.join(' ')} takes ${required === command.positionals.length ? required : `${required}-${command.positionals.length}`} argument(s) (${names})\n\n${commandHelp(command)}`,
    );
    return ExitCode.Usage;
  }
  const output = parsed.values.output ?? (io.isTty ? 'table' : 'json');
  if (output !== 'table' && output !== 'json') {
    io.printError('gg: -o/--output must be table or json');
    return ExitCode.Usage;
  }
  const url =
    stringValue(parsed.values.url) ?? io.env.GG_URL ?? `http://localhost:${io.env.GG_LOCAL_PORT ?? '7071'}`;
  const key = stringValue(parsed.values.key) ?? io.env.GG_KEY ?? localKey(io);
  try {
    return await command.run({
      args,
      values: parsed.values,
      api: createApiClient(url, key, io.fetch, io.env.GG_TOKEN),
      format: output,
      print: io.print,
      printError: io.printError,
      operator: io.env.GG_OPERATOR ?? io.operator,
    });
  } catch (error) {
    if (!(error instanceof ApiUnreachableError)) throw error;
    io.printError(
      `gg: ${error.message}${io.env.GG_URL === undefined ? ' (is npm start running? set GG_URL for a deployed app)' : ''}`,
    );
    return ExitCode.Failed;
  }
}

function stringValue(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Talking to npm start without GG_KEY: its key, from local.settings.json like the runner reads it. */
function localKey(io: CliIo): string {
  return io.env.GG_LOCAL_FUNCTION_KEY ?? io.localSettings().GG_LOCAL_FUNCTION_KEY ?? 'local-dev-key';
}

function readLocalSettings(): Record<string, string> {
  for (const name of ['local.settings.json', 'local.settings.sample.json']) {
    try {
      const parsed = JSON.parse(readFileSync(join(process.cwd(), name), 'utf8')) as {
        Values?: Record<string, unknown>;
      };
      return Object.fromEntries(
        Object.entries(parsed.Values ?? {}).filter(
          (e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '',
        ),
      );
    } catch {
      // next file
    }
  }
  return {};
}

export function main(): void {
  runCli(process.argv.slice(2), {
    env: process.env,
    fetch,
    print: (line) => console.log(line),
    printError: (line) => console.error(line),
    isTty: process.stdout.isTTY === true,
    localSettings: readLocalSettings,
    operator: userInfo().username,
  })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      console.error(`gg: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      process.exitCode = ExitCode.Failed;
    });
}

if (require.main === module) main();
