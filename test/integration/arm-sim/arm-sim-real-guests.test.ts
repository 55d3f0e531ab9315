import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { describeWithRealGuests, IMAGE_BUILD_TIMEOUT_MS, prepareRealGuests } from '../../support/real-guests';
import { runShellScript } from '../../../local/arm-sim/guest/run-shell-script';
import { ownerScriptCheck, wrapOwnerScript } from '../../../shared/validation/guest/owner-check-scripts';
import { SUB, VRG, createVm, download, startHarness, versionId, type Harness } from './sim-harness';

const stdoutOf = (message: string | undefined): string =>
  /\[stdout\]\n([\s\S]*)\n\[stderr\]/.exec(message ?? '')?.[1] ?? '';

jest.setTimeout(180_000);

describeWithRealGuests('ARM simulator: real Debian guests booted with cloud-init', () => {
  let h: Harness;
  /** Two VMs from the generalized image, booted in parallel and shared by the tests below. */
  let vms: string[];
  beforeAll(async () => {
    await prepareRealGuests();
    h = await startHarness({ guests: 'real', timeScale: 30 });
    const created = await Promise.all(
      [0, 1].map(() => createVm(h, { imageReferenceId: versionId('ubuntu-healthy') })),
    );
    await Promise.all(created.map((c) => c.done()));
    vms = created.map((c) => c.name);
  }, IMAGE_BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await h?.sim.close();
  });

  const run = async (name: string, script: string[]): Promise<string | undefined> => {
    const r = await h.clients.compute.virtualMachines.beginRunCommandAndWait(
      VRG,
      name,
      { commandId: 'RunShellScript', script },
      h.poll,
    );
    return r.value?.[0]?.message;
  };

  it('boots a generalized image: cloud-init provisions it, the agent is Ready, the serial log is cloud-init’s', async () => {
    expect(h.sim.guestSupport.mode).toBe('real');
    const name = vms[0]!;
    const vm = await h.clients.compute.virtualMachines.get(VRG, name);
    expect(vm.provisioningState).toBe('Succeeded');
    const view = await h.clients.compute.virtualMachines.instanceView(VRG, name);
    expect(view.vmAgent?.statuses?.[0]?.displayStatus).toBe('Ready');
    expect(view.vmAgent?.vmAgentVersion).toMatch(/^2\.7\./);
    expect([view.osName, view.osVersion, view.computerName]).toEqual(['debian', '12', name]);

    const diag = await h.clients.compute.virtualMachines.retrieveBootDiagnosticsData(VRG, name);
    const log = await download(diag.serialConsoleLogBlobUri!, h.sim.caCertPem);
    expect(log.text).toMatch(/Cloud-init v\. 22\.4\.\d+ running 'init-local'/);
    expect(log.text).toMatch(/Cloud-init v\. 22\.4\.\d+ finished at .* Datasource DataSourceNoCloud/);
    expect(log.text).toContain(`root@${name}`);
  });

  it('runs an owner script inside the guest: `hostname; cat /etc/machine-id` are the VM’s, not the host’s', async () => {
    const hostMachineId = readFileSync('/etc/machine-id', 'utf8').trim();
    const seen: string[] = [];
    for (const name of vms) {
      // Wrapped as the engine wraps owner scripts (GG_CHECK_SCRIPTS), so its exit code survives.
      const message = await run(
        name,
        wrapOwnerScript({ osType: 'Linux', script: 'hostname; cat /etc/machine-id' }).split('\n'),
      );
      expect(ownerScriptCheck('identity', message ?? '', { region: 'eastus', vmName: name }).status).toBe(
        'Passed',
      );
      const [guestName, machineId] = stdoutOf(message).split('\n');
      const facts = h.sim.guests().find((g) => g.vmId.endsWith(`/${name}`));
      expect(guestName).toBe(name);
      expect(guestName).not.toBe(hostname());
      expect(machineId).toMatch(/^[0-9a-f]{32}$/);
      expect(machineId).toBe(facts?.machineId);
      expect(machineId).not.toBe(hostMachineId);
      seen.push(machineId!);
    }
    expect(seen[0]).not.toBe(seen[1]);
  });

  it('shows what a real first boot writes: the disabled-root authorized_keys entry and the admin key', async () => {
    const name = vms[0]!;
    const out = stdoutOf(
      await run(name, ['cat /root/.ssh/authorized_keys', 'cat /home/ggadmin/.ssh/authorized_keys']),
    );
    expect(out).toContain(
      `no-port-forwarding,no-agent-forwarding,no-X11-forwarding,command="echo 'Please login as the user \\"ggadmin\\" rather than the user \\"root\\".';echo;sleep 10;exit 142" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITESTKEY gg`,
    );
    expect(out).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITESTKEY gg$/m);
  });

  it('keeps Azure’s 4,096-byte tail of the output, and kills a script that outlives its timeout', async () => {
    const name = vms[1]!;
    const tail = stdoutOf(await run(name, ['head -c 6000 /dev/zero | tr "\\0" a', 'echo END']));
    expect(Buffer.byteLength(tail)).toBe(4096);
    expect(tail).toMatch(/^a+END\n$/);

    const guest = h.sim.sim.vms.get(
      `/subscriptions/${SUB}/resourcegroups/${VRG}/providers/microsoft.compute/virtualmachines/${name}`.toLowerCase(),
    )?.linux;
    const started = Date.now();
    const outcome = await runShellScript({
      launch: guest!.launch(99, []),
      script: 'echo started; sleep 60; echo never',
      timeoutMs: 1500,
    });
    expect(outcome).toMatchObject({ timedOut: true, stdout: 'started\n' });
    expect(Date.now() - started).toBeLessThan(10_000);
    // The guest's own ps (its PID namespace): nothing of the killed script is left.
    expect(stdoutOf(await run(name, ['ps -eo comm= | grep -c "^sleep$"; true']))).toBe('0\n');
  });

  it('never provisions an image whose cloud-init and waagent were purged: OSProvisioningTimedOut', async () => {
    const { name, done } = await createVm(h, { imageReferenceId: versionId('ubuntu-agent-stuck') });
    // ARM gives up 20 minutes after create, but never before the real boot has ended.
    h.sim.advanceClock(20 * 60);
    await expect(done()).rejects.toThrow(/OSProvisioningTimedOut/);
    const view = await h.clients.compute.virtualMachines.instanceView(VRG, name);
    expect(view.statuses?.map((s) => s.code)).toContain('PowerState/running');
    expect(view.vmAgent?.statuses?.[0]?.displayStatus).toBe('Not Ready');
  });
});
