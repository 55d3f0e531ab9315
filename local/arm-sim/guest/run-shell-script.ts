import { spawn } from 'node:child_process';

export interface ScriptOutcome {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** A process that runs a Run Command script inside a guest; the script arrives on its stdin. */
export interface ScriptLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

export interface RunCommandParameter {
  readonly name?: string;
  readonly value?: string;
}

/** The environment Run Command scripts see, plus the named parameters (as the Linux handler sets them). */
export function scriptEnvironment(parameters: readonly RunCommandParameter[]): string[] {
  const env = [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'HOME=/root',
    'LANG=C.UTF-8',
  ];
  for (const p of parameters)
    if (p.name && /^[A-Za-z_]\w*$/.test(p.name)) env.push(`${p.name}=${p.value ?? ''}`);
  return env;
}

const MAX_CAPTURE = 1024 * 1024;

/**
 * Runs a RunShellScript for real in the guest the launch reaches, as root, positional parameters as
 * $1.., named ones also as environment variables. The launcher runs in its own process group, so a
 * timeout or the simulator closing ends everything it started.
 */
export async function runShellScript(input: {
  readonly launch: ScriptLaunch;
  readonly script: string;
  readonly timeoutMs: number;
  /** Aborted when the simulator closes: the script's process group is killed. */
  readonly signal?: AbortSignal;
}): Promise<ScriptOutcome> {
  return new Promise<ScriptOutcome>((resolve) => {
    const child = spawn(input.launch.command, [...input.launch.args], {
      env: input.launch.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-MAX_CAPTURE)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-MAX_CAPTURE)));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input.script);
    const killGroup = (): void => {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, input.timeoutMs);
    timer.unref();
    input.signal?.addEventListener('abort', killGroup, { once: true });
    if (input.signal?.aborted) killGroup();
    const done = (exitCode: number | null, extra = ''): void => {
      clearTimeout(timer);
      input.signal?.removeEventListener('abort', killGroup);
      resolve({ exitCode, stdout, stderr: `${stderr}${extra}`, timedOut });
    };
    child.on('error', (err) => done(null, err.message));
    child.on('close', (code) => done(code));
  });
}

/** Azure keeps only the last 4,096 bytes of each stream. */
export const tail4k = (text: string): string => {
  const bytes = Buffer.from(text);
  return bytes.length <= 4096 ? text : bytes.subarray(bytes.length - 4096).toString();
};

/** RunCommandResult for a Linux VM, in the shape the Linux Run Command handler reports. */
export function linuxRunCommandResult(outcome: ScriptOutcome): { value: Record<string, unknown>[] } {
  const streams = `\n[stdout]\n${tail4k(outcome.stdout)}\n[stderr]\n${tail4k(outcome.stderr)}\n`;
  if (outcome.exitCode === 0) {
    return {
      value: [
        {
          code: 'ProvisioningState/succeeded',
          level: 'Info',
          displayStatus: 'Provisioning succeeded',
          message: `Enable succeeded: ${streams}`,
        },
      ],
    };
  }
  const reason = outcome.timedOut
    ? 'command timed out'
    : `failed to execute command: command terminated with exit status=${outcome.exitCode ?? 'unknown'}`;
  return {
    value: [
      {
        code: 'ProvisioningState/failed',
        level: 'Error',
        displayStatus: 'Provisioning failed',
        message: `Enable failed: ${reason}${streams}`,
      },
    ],
  };
}
