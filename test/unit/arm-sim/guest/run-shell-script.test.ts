import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  linuxRunCommandResult,
  runShellScript,
  tail4k,
} from '../../../../local/arm-sim/guest/run-shell-script';

describe('runShellScript', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gg-guest-test-'));
    await writeFile(join(root, 'marker'), 'inside the guest\n');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('runs bash in the guest root with GG_GUEST_ROOT, positional and named parameters', async () => {
    const outcome = await runShellScript({
      guestRoot: root,
      scriptDir: tmpdir(),
      script: 'cat "${GG_GUEST_ROOT:-}/marker"; pwd; echo "$1 $NAME"; echo oops >&2',
      parameters: [{ name: 'NAME', value: 'value-1' }],
      timeoutMs: 10_000,
    });
    expect(outcome).toEqual({
      exitCode: 0,
      stdout: `inside the guest\n${root}\nvalue-1 value-1\n`,
      stderr: 'oops\n',
      timedOut: false,
    });
  });

  it('kills a running script when the simulator shuts down', async () => {
    const shutdown = new AbortController();
    const running = runShellScript({
      guestRoot: root,
      scriptDir: tmpdir(),
      script: 'echo started; sleep 30',
      parameters: [],
      timeoutMs: 60_000,
      signal: shutdown.signal,
    });
    shutdown.abort();
    const outcome = await running;
    expect(outcome.exitCode).not.toBe(0);
    expect(outcome.timedOut).toBe(false);
  });

  it('kills a script that exceeds its timeout', async () => {
    const outcome = await runShellScript({
      guestRoot: root,
      scriptDir: tmpdir(),
      script: 'sleep 30',
      parameters: [],
      timeoutMs: 200,
    });
    expect(outcome.timedOut).toBe(true);
    expect(linuxRunCommandResult(outcome).value[0]).toMatchObject({
      code: 'ProvisioningState/failed',
      message: expect.stringContaining('timed out') as unknown,
    });
  });
});

describe('linuxRunCommandResult', () => {
  it('formats output as the Linux Run Command handler does, keeping the last 4096 bytes', () => {
    const long = `${'a'.repeat(5000)}END`;
    const result = linuxRunCommandResult({ exitCode: 0, stdout: long, stderr: '', timedOut: false });
    expect(result.value[0]).toEqual({
      code: 'ProvisioningState/succeeded',
      level: 'Info',
      displayStatus: 'Provisioning succeeded',
      message: `Enable succeeded: \n[stdout]\n${tail4k(long)}\n[stderr]\n\n`,
    });
    expect(tail4k(long)).toHaveLength(4096);
    expect(tail4k(long).endsWith('END')).toBe(true);
  });
});
