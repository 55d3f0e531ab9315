import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ScriptOutcome {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

const MAX_CAPTURE = 1024 * 1024;

/**
 * Runs a RunShellScript for real: bash, cwd = the VM's guest root, GG_GUEST_ROOT pointing at it so
 * check scripts that prefix paths with ${GG_GUEST_ROOT:-} read the simulated machine.
 * Parameters are passed as positional arguments and, when named, as environment variables.
 */
export async function runShellScript(input: {
  readonly guestRoot: string;
  readonly scriptDir: string;
  readonly script: string;
  readonly parameters: readonly { name?: string; value?: string }[];
  readonly timeoutMs: number;
  /** Aborted when the simulator closes: the script's process group is killed. */
  readonly signal?: AbortSignal;
}): Promise<ScriptOutcome> {
  const file = join(input.scriptDir, `script-${randomUUID()}.sh`);
  await writeFile(file, input.script, { mode: 0o700 });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    GG_GUEST_ROOT: input.guestRoot,
  };
  for (const p of input.parameters) if (p.name && /^[A-Za-z_]\w*$/.test(p.name)) env[p.name] = p.value ?? '';
  try {
    return await new Promise<ScriptOutcome>((resolve) => {
      const child = spawn('bash', [file, ...input.parameters.map((p) => p.value ?? '')], {
        cwd: input.guestRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-MAX_CAPTURE)));
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-MAX_CAPTURE)));
      // The script runs in its own process group; end the whole group, not just bash.
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
      child.on('error', (err) => {
        clearTimeout(timer);
        input.signal?.removeEventListener('abort', killGroup);
        resolve({ exitCode: null, stdout, stderr: `${stderr}${err.message}`, timedOut });
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        input.signal?.removeEventListener('abort', killGroup);
        resolve({ exitCode: code, stdout, stderr, timedOut });
      });
    });
  } finally {
    await unlink(file).catch(() => undefined);
  }
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
