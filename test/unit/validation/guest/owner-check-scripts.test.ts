import { execFileSync } from 'node:child_process';
import { ownerScriptCheck, wrapOwnerScript } from '../../../../shared/validation/guest/owner-check-scripts';

const at = { region: 'eastus', vmName: 'gg-1' };

/** Runs the wrapped script with bash and hands back what Run Command would. */
function run(script: string): string {
  const stdout = execFileSync('bash', ['-c', wrapOwnerScript({ osType: 'Linux', script })], {
    env: { PATH: process.env.PATH },
  }).toString();
  return `Enable succeeded: \n[stdout]\n${stdout}\n[stderr]\n`;
}

describe('owner check scripts', () => {
  it('pass when the script exits 0', () => {
    expect(ownerScriptCheck('nginx', run('echo all good'), at)).toMatchObject({
      name: 'owner-script:nginx',
      status: 'Passed',
    });
  });

  it('fail with the exit code and the last output line as evidence', () => {
    const check = ownerScriptCheck('nginx', run('echo starting; echo "nginx not installed" >&2; exit 3'), at);
    expect(check).toMatchObject({ status: 'Failed', evidence: 'nginx not installed' });
    expect(check.reason).toContain('exited 3');
  });

  it('is inconclusive when no exit code came back', () => {
    expect(ownerScriptCheck('nginx', 'Enable succeeded: \n[stdout]\n\n[stderr]\n', at).status).toBe(
      'Inconclusive',
    );
  });
});
