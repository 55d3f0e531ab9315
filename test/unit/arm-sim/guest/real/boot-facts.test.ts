import { agentReady, parseBootFacts, provisioned } from '../../../../../local/arm-sim/guest/real/boot-facts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
/** status.json as cloud-init 22.4.2 wrote it on a real boot of the broken-cloud-init image. */
const STATUS = {
  v1: {
    datasource: 'DataSourceNoCloud [seed=/var/lib/cloud/seed/nocloud][dsmode=net]',
    init: {
      errors: [`('write-files', OSError('Unknown user or group: "getpwnam(): name not found: \\'app\\'"'))`],
      finished: 1796154356.9431498,
      start: 1796154353.929778,
    },
    'init-local': { errors: [], finished: 1796154351.551156, start: 1796154350.7517507 },
    'modules-config': { errors: [], finished: 1796154362.0994203, start: 1796154359.7794218 },
    'modules-final': { errors: [], finished: 1796154366.7669952, start: 1796154365.311807 },
    'modules-init': { errors: [], finished: null, start: null },
    stage: null,
  },
};

const facts = (entries: Record<string, string>) =>
  parseBootFacts(new Map(Object.entries(entries).map(([k, v]) => [k, b64(v)])));

describe('boot facts of a real guest', () => {
  it('reads identity, OS, cloud-init status and the agent version', () => {
    const f = facts({
      hostname: 'gg-1\n',
      'machine-id': '3984953e7722464288efb65e8a1fec68\n',
      'os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n',
      'cloud-init-status': JSON.stringify(STATUS),
      'waagent-version': '2.7.3.0-4.1',
    });
    expect(f).toEqual({
      hostname: 'gg-1',
      machineId: '3984953e7722464288efb65e8a1fec68',
      os: { name: 'debian', version: '12' },
      cloudInit: {
        datasource: STATUS.v1.datasource,
        initFinished: true,
        errors: STATUS.v1.init.errors,
      },
      waagentVersion: '2.7.3.0',
    });
    // Module errors do not stop provisioning: the user and keys exist, the agent reports Ready.
    expect(provisioned(f)).toBe(true);
    expect(agentReady(f, 'Generalized')).toBe(true);
  });

  it('is not provisioned without cloud-init, and not Ready without waagent', () => {
    const noAgent = facts({ hostname: 'localhost', 'machine-id': 'x', 'os-release': 'ID=debian\n' });
    expect(provisioned(noAgent)).toBe(false);
    expect(agentReady(noAgent, 'Generalized')).toBe(false);
    const noWaagent = facts({ 'cloud-init-status': JSON.stringify(STATUS) });
    expect(provisioned(noWaagent)).toBe(true);
    expect(agentReady(noWaagent, 'Generalized')).toBe(false);
  });

  it('is not provisioned when cloud-init found no datasource or never finished its init stage', () => {
    const none = { v1: { ...STATUS.v1, datasource: 'DataSourceNone' } };
    expect(provisioned(facts({ 'cloud-init-status': JSON.stringify(none) }))).toBe(false);
    const unfinished = { v1: { ...STATUS.v1, init: { errors: [], finished: null, start: 1 } } };
    expect(provisioned(facts({ 'cloud-init-status': JSON.stringify(unfinished) }))).toBe(false);
    expect(provisioned(facts({ 'cloud-init-status': '{not json' }))).toBe(false);
  });
});
