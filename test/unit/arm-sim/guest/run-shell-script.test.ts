import {
  linuxRunCommandResult,
  runShellScript,
  scriptEnvironment,
  tail4k,
  type ScriptLaunch,
} from '../../../../local/arm-sim/guest/run-shell-script';

/** A launcher as the guests build them, without a guest: bash reading the script from stdin. */
const onHost = (args: string[] = []): ScriptLaunch => ({
  command: 'bash',
  args: ['--norc', '-c', 'f=$(mktemp); cat > "$f"; exec bash "$f" "$@" < /dev/null', 'run-command', ...args],
});

describe('runShellScript', () => {
  it('feeds the script on stdin, with positional parameters, and captures both streams', async () => {
    const outcome = await runShellScript({
      launch: onHost(['value-1']),
      script: 'echo "$1"; echo oops >&2; exit 0',
      timeoutMs: 10_000,
    });
    expect(outcome).toEqual({ exitCode: 0, stdout: 'value-1\n', stderr: 'oops\n', timedOut: false });
  });

  it('builds the Run Command environment with the named parameters', () => {
    expect(
      scriptEnvironment([{ name: 'NAME', value: 'v' }, { name: 'bad name', value: 'x' }, { value: 'p' }]),
    ).toEqual([
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'HOME=/root',
      'LANG=C.UTF-8',
      'NAME=v',
    ]);
  });

  it('kills a running script when the simulator shuts down', async () => {
    const shutdown = new AbortController();
    const running = runShellScript({
      launch: onHost(),
      script: 'echo started; sleep 30',
      timeoutMs: 60_000,
      signal: shutdown.signal,
    });
    shutdown.abort();
    const outcome = await running;
    expect(outcome.exitCode).not.toBe(0);
    expect(outcome.timedOut).toBe(false);
  });

  it('kills a script that exceeds its timeout', async () => {
    const outcome = await runShellScript({ launch: onHost(), script: 'sleep 30', timeoutMs: 200 });
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
