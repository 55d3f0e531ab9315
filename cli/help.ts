import type { Command, OptionSpec } from './command';
import { GLOBAL_OPTIONS } from './command';
import { ExitCode } from './exit-codes';

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  const rows = Object.entries(options).map(([name, spec]) => [
    `${spec.short === undefined ? '    ' : `-${spec.short}, `}--${name}${spec.value === undefined ? '' : ` ${spec.value}`}`,
    spec.description,
  ]);
  const width = Math.max(...rows.map(([left]) => left!.length));
  return rows.map(([left, right]) => `  ${left!.padEnd(width)}  ${right!}`);
}

function usageOf(command: Command): string {
  const positionals = command.positionals.map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`));
  return ['gg', ...command.path, ...positionals, '[options]'].join(' ');
}

export function commandHelp(command: Command): string {
  const lines = [`gg ${command.path.join(' ')}: ${command.summary}`, '', `Usage: ${usageOf(command)}`];
  if (command.positionals.length > 0) {
    lines.push('', 'Arguments:');
    for (const p of command.positionals) lines.push(`  ${p.name.padEnd(12)}  ${p.description}`);
  }
  if (Object.keys(command.options).length > 0) lines.push('', 'Options:', ...optionLines(command.options));
  lines.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS));
  if (command.examples.length > 0) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

export function groupHelp(group: string, commands: readonly Command[]): string {
  const members = commands.filter((c) => c.path[0] === group && c.path.length > 1);
  return [
    `gg ${group}: ${members.map((c) => c.path[1]).join(' | ')}`,
    '',
    ...members.map((c) => `  gg ${c.path.join(' ').padEnd(16)} ${c.summary}`),
    '',
    `Run gg ${group} <command> --help for its options.`,
  ].join('\n');
}

export function mainHelp(commands: readonly Command[]): string {
  return [
    'gg: the gallery-guard operator CLI (talks to the operator API of a function app or of npm start)',
    '',
    'Usage: gg <command> [arguments] [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.path.join(' ').padEnd(16)} ${c.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Environment: GG_URL (API base URL), GG_KEY (function key; release, revalidate and poison redrive',
    'need the admin key), GG_TOKEN (Entra token for App Service authentication, sent as a bearer token),',
    'GG_OPERATOR (your name for --by offline).',
    '',
    `Exit codes: ${ExitCode.Ok} ok, ${ExitCode.Failed} API failed or unreachable, ${ExitCode.Usage} bad arguments or input,`,
    `  ${ExitCode.NotFound} not found, ${ExitCode.Refused} refused (conflict, out of scope), ${ExitCode.Unauthorized} bad key, ${ExitCode.Unhealthy} unhealthy.`,
    '',
    'Run gg <command> --help for its options and examples.',
  ].join('\n');
}
