import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { LinuxGuest } from '../linux-guest';
import type { RunCommandParameter, ScriptLaunch } from '../run-shell-script';
import { parseBootFacts, type BootFacts } from './boot-facts';
import { GUEST_INIT, inGuestRunCommand } from './guest-shell';
import { noCloudSeed, type ProvisioningInput } from './nocloud-seed';

export interface RealBootEvents {
  /** The guest's namespaces and root are up: the VM is running. */
  onRunning(): void;
  /** cloud-init's stages have ended (whatever they did). */
  onBooted(facts: BootFacts): void;
  /** The guest could not be started at all (a simulator or host problem, not the image's). */
  onFailed(error: Error): void;
}

/**
 * A VM booted from a real Debian image: PID 1 of fresh mount/UTS/IPC/network/PID namespaces holds
 * an overlay of the image's layers (the VM's disk is the upper directory) and runs its first boot;
 * Run Command enters those namespaces with nsenter and chroots into the disk.
 */
export class RealLinuxGuest implements LinuxGuest {
  readonly kind = 'real';
  readonly diskDir: string;
  private readonly holder: ChildProcessWithoutNullStreams;
  private pid1: number | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly vmDir: string,
    layers: readonly string[],
    events: RealBootEvents,
  ) {
    this.diskDir = join(vmDir, 'upper');
    this.holder = spawn(
      'unshare',
      [
        '--mount',
        '--uts',
        '--ipc',
        '--net',
        '--pid',
        '--fork',
        '--kill-child',
        'bash',
        '-c',
        GUEST_INIT,
        'gg-init',
        layers.join(':'),
        vmDir,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.exited = new Promise((resolve) => this.holder.once('close', () => resolve()));
    const facts = new Map<string, string>();
    let stderr = '';
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      events.onFailed(error);
    };
    this.holder.on('error', fail);
    this.holder.stdin.on('error', () => undefined);
    this.holder.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    createInterface({ input: this.holder.stdout }).on('line', (line) => {
      if (line === 'GG-RUNNING') {
        this.pid1 = this.findPid1();
        events.onRunning();
      } else if (line.startsWith('GG-FACT ')) {
        const [, key = '', value = ''] = line.split(' ');
        facts.set(key, value);
      } else if (line === 'GG-BOOTED' && !settled) {
        settled = true;
        events.onBooted(parseBootFacts(facts));
      } else if (line.startsWith('GG-FAILED ')) {
        fail(new Error(line.slice('GG-FAILED '.length)));
      }
    });
    void this.exited.then(() => fail(new Error(`the guest's init exited before booting: ${stderr.trim()}`)));
  }

  /** Writes the VM's NoCloud seed and starts its first boot. */
  static async boot(
    vmDir: string,
    layers: readonly string[],
    provisioning: ProvisioningInput,
    events: RealBootEvents,
  ): Promise<RealLinuxGuest> {
    await mkdir(join(vmDir, 'seed'), { recursive: true });
    for (const [name, content] of Object.entries(noCloudSeed(provisioning))) {
      await writeFile(join(vmDir, 'seed', name), content, { mode: 0o600 });
    }
    return new RealLinuxGuest(vmDir, layers, events);
  }

  /** unshare forks PID 1 of the new PID namespace; Run Command enters that process's namespaces. */
  private findPid1(): number | undefined {
    const pid = this.holder.pid;
    if (pid === undefined) return undefined;
    try {
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
      const child = Number(children[0]);
      return Number.isInteger(child) && child > 0 ? child : undefined;
    } catch {
      return undefined;
    }
  }

  launch(seq: number, parameters: readonly RunCommandParameter[]): ScriptLaunch {
    if (this.pid1 === undefined) throw new Error('the guest is not running');
    return {
      command: 'nsenter',
      args: [
        `--target=${this.pid1}`,
        '--mount',
        '--uts',
        '--ipc',
        '--net',
        '--pid',
        '--',
        'chroot',
        join(this.vmDir, 'root'),
        ...inGuestRunCommand(seq, parameters),
      ],
    };
  }

  consoleLog(): string {
    try {
      return readFileSync(join(this.vmDir, 'console.log'), 'utf8');
    } catch {
      return '';
    }
  }

  async dispose(): Promise<void> {
    this.holder.stdin.end();
    const timer = setTimeout(() => this.holder.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
    await rm(this.vmDir, { recursive: true, force: true });
  }
}
