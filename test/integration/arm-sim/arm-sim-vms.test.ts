import { VRG, createVm, download, startHarness, versionId, type Harness } from './sim-harness';

const stdoutOf = (message: string | undefined): string =>
  /\[stdout\]\n([\s\S]*)\n\[stderr\]/.exec(message ?? '')?.[1] ?? '';

describe('ARM simulator: validation VMs through @azure/arm-compute and @azure/arm-network', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.sim.close();
  });

  it('creates a VM from a healthy generalized version, reports it Ready and deletes it with its disk and NIC', async () => {
    const { name } = await createVm(h, { imageReferenceId: versionId('ubuntu-healthy') });
    const created = await h.clients.compute.virtualMachines.get(VRG, name);
    expect(created.provisioningState).toMatch(/Creating|Succeeded/);
    expect(created.storageProfile?.imageReference?.exactVersion).toBe('1.0.0');
    expect(created.osProfile?.computerName).toBe(name);

    const ready = await pollReady(h, name);
    expect(ready.statuses?.map((s) => s.code)).toEqual(['ProvisioningState/succeeded', 'PowerState/running']);
    expect(ready.vmAgent?.statuses?.[0]).toMatchObject({
      code: 'ProvisioningState/succeeded',
      displayStatus: 'Ready',
    });
    expect(ready.vmAgent?.vmAgentVersion).toMatch(/^\d+\./);

    const listed = [];
    for await (const vm of h.clients.compute.virtualMachines.list(VRG)) listed.push(vm.name);
    expect(listed).toContain(name);

    const diag = await h.clients.compute.virtualMachines.retrieveBootDiagnosticsData(VRG, name, {
      sasUriExpirationTimeInMinutes: 5,
    });
    expect(diag.serialConsoleLogBlobUri).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/.*serialconsole\.log\?.*sig=/);
    const log = await download(diag.serialConsoleLogBlobUri!, h.sim.caCertPem);
    expect(log.status).toBe(200);
    expect(log.text).toContain(`${name} login:`);
    const forged = await download(
      diag.serialConsoleLogBlobUri!.replace(/sig=[^&]+/, 'sig=forged'),
      h.sim.caCertPem,
    );
    expect(forged.status).toBe(403);
    const screenshot = await download(diag.consoleScreenshotBlobUri!, h.sim.caCertPem);
    expect(screenshot.status).toBe(200);
    expect(screenshot.text.startsWith('BM')).toBe(true);

    const owned = h.sim.liveResources({ origin: 'api' }).map((r) => r.type);
    expect(owned).toEqual(
      expect.arrayContaining([
        'Microsoft.Compute/virtualMachines',
        'Microsoft.Compute/disks',
        'Microsoft.Network/networkInterfaces',
      ]),
    );
    await h.clients.compute.virtualMachines.beginDeleteAndWait(VRG, name, {
      forceDeletion: false,
      ...h.poll,
    });
    expect(h.sim.liveResources({ origin: 'api' })).toEqual([]);
  });

  it('refuses a re-PUT that changes osProfile (new credentials) as Azure does, and accepts one that keeps it', async () => {
    const { name, done } = await createVm(h, { imageReferenceId: versionId('ubuntu-healthy') });
    await done();
    const current = await h.clients.compute.virtualMachines.get(VRG, name);
    const keys = current.osProfile?.linuxConfiguration?.ssh?.publicKeys ?? [];
    // The same osProfile (and new tags): an update, accepted.
    const same = await h.clients.compute.virtualMachines.beginCreateOrUpdateAndWait(
      VRG,
      name,
      { ...current, tags: { ...current.tags, again: 'yes' } },
      h.poll,
    );
    expect(same.tags?.again).toBe('yes');
    // A regenerated ssh key (what a resumed run with fresh ephemeral credentials would send): refused.
    const changed = {
      ...current,
      osProfile: {
        ...current.osProfile,
        linuxConfiguration: {
          ...current.osProfile?.linuxConfiguration,
          ssh: {
            publicKeys: keys.map((k) => ({ ...k, keyData: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOTHER gg' })),
          },
        },
      },
    };
    await expect(
      h.clients.compute.virtualMachines.beginCreateOrUpdateAndWait(VRG, name, changed, h.poll),
    ).rejects.toMatchObject({
      statusCode: 409,
      code: 'PropertyChangeNotAllowed',
      message: "Changing property 'osProfile' is not allowed.",
    });
    await expect(
      h.clients.compute.virtualMachines.beginCreateOrUpdateAndWait(
        VRG,
        name,
        { ...current, osProfile: { ...current.osProfile, customData: 'ZWNobyBoaQ==' } },
        h.poll,
      ),
    ).rejects.toMatchObject({ statusCode: 409, message: "Changing property 'customData' is not allowed." });
    await h.clients.compute.virtualMachines.beginDeleteAndWait(VRG, name, h.poll);
  });

  it('runs a RunShellScript for real, jailed into the synthetic guest, and returns Azure-shaped output', async () => {
    const { name } = await createVm(h, { imageReferenceId: versionId('ubuntu-healthy') });
    await pollReady(h, name);
    const result = await h.clients.compute.virtualMachines.beginRunCommandAndWait(
      VRG,
      name,
      {
        commandId: 'RunShellScript',
        script: [
          'set -e',
          'echo "host=$(cat /etc/hostname)"',
          'grep RegenerateSshHostKeyPair /etc/waagent.conf',
          'test -f /var/lib/waagent/provisioned && echo provisioned',
          'cat /home/ggadmin/.ssh/authorized_keys',
          'echo "$1" >&2',
        ],
        parameters: [{ name: 'greeting', value: 'hello-from-param' }],
      },
      h.poll,
    );
    const status = result.value?.[0];
    expect(status).toMatchObject({
      code: 'ProvisioningState/succeeded',
      displayStatus: 'Provisioning succeeded',
      level: 'Info',
    });
    expect(status?.message).toMatch(/^Enable succeeded: \n\[stdout\]\n/);
    const out = stdoutOf(status?.message);
    expect(out).toContain(`host=${name}`);
    expect(out).toContain('Provisioning.RegenerateSshHostKeyPair=y');
    expect(out).toContain('provisioned');
    expect(out).toContain('AAAAITESTKEY');
    expect(status?.message).toMatch(/\[stderr\]\nhello-from-param\n/);

    const failing = await h.clients.compute.virtualMachines.beginRunCommandAndWait(
      VRG,
      name,
      { commandId: 'RunShellScript', script: ['echo partial', 'exit 3'] },
      h.poll,
    );
    expect(failing.value?.[0]).toMatchObject({ code: 'ProvisioningState/failed', level: 'Error' });
    expect(failing.value?.[0]?.message).toContain('exit status=3');
    await expect(
      h.clients.compute.virtualMachines.beginRunCommandAndWait(
        VRG,
        name,
        { commandId: 'RunPowerShellScript', script: ['x'] },
        h.poll,
      ),
    ).rejects.toMatchObject({ code: 'InvalidParameter' });
  });

  it('gives every VM from a generalized version a fresh identity and repeats the source identity for a cloned one', async () => {
    const facts = async (image: string): Promise<string[]> => {
      const outputs: string[] = [];
      for (let i = 0; i < 2; i++) {
        const { name } = await createVm(h, { imageReferenceId: versionId(image) });
        await pollReady(h, name);
        const r = await h.clients.compute.virtualMachines.beginRunCommandAndWait(
          VRG,
          name,
          {
            commandId: 'RunShellScript',
            script: [
              'cat /etc/machine-id /etc/hostname',
              'cat /etc/ssh/ssh_host_ed25519_key.pub /etc/ssh/ssh_host_rsa_key.pub /etc/ssh/ssh_host_ecdsa_key.pub',
              'test -f /root/.bash_history && echo leftover-root-bash-history || true',
            ],
          },
          h.poll,
        );
        outputs.push(stdoutOf(r.value?.[0]?.message));
      }
      return outputs;
    };
    const [a, b] = await facts('ubuntu-healthy');
    expect(a).toMatch(/^[0-9a-f]{32}\n/);
    expect(a).toMatch(/ssh-ed25519 AAAA\S+ /);
    expect(a).toMatch(/ssh-rsa AAAA\S+ /);
    expect(a).toMatch(/ecdsa-sha2-nistp256 AAAA\S+ /);
    const lines = (s: string | undefined): string[] => (s ?? '').split('\n').filter((l) => l.length > 0);
    // machine-id and each of the three host keys differ
    for (const i of [0, 2, 3, 4]) expect(lines(a)[i]).not.toBe(lines(b)[i]);
    expect(a).not.toContain('leftover-root-bash-history');

    const [c, d] = await facts('ubuntu-cloned');
    expect(c).toBe(d);
    expect(lines(c)[1]).toBe('ubuntu-golden-build');
    expect(c).toContain('leftover-root-bash-history');
  });

  it('answers RunPowerShellScript with the identity facts of the Windows guest', async () => {
    const sids = async (image: string, specialized: boolean): Promise<Record<string, unknown>[]> => {
      const out: Record<string, unknown>[] = [];
      for (let i = 0; i < 2; i++) {
        const { name } = await createVm(h, {
          imageReferenceId: versionId(image),
          osProfile: specialized
            ? null
            : {
                computerName: `win${i}${process.pid % 1000}`,
                adminUsername: 'ggadmin',
                adminPassword: 'P@ssw0rd-not-real-1',
              },
        });
        await pollReady(h, name);
        const r = await h.clients.compute.virtualMachines.beginRunCommandAndWait(
          VRG,
          name,
          { commandId: 'RunPowerShellScript', script: ['& C:\\check.ps1'] },
          h.poll,
        );
        expect(r.value?.map((v) => v.code)).toEqual([
          'ComponentStatus/StdOut/succeeded',
          'ComponentStatus/StdErr/succeeded',
        ]);
        out.push(JSON.parse(r.value?.[0]?.message ?? '{}') as Record<string, unknown>);
      }
      return out;
    };
    const [s1, s2] = await sids('windows-specialized', true);
    expect(s1).toEqual(s2);
    expect(s1).toMatchObject({ computerName: 'WIN-GOLDEN01', imageState: 'IMAGE_STATE_COMPLETE' });
    const [g1, g2] = await sids('windows-healthy', false);
    expect(g1?.machineSid).toMatch(/^S-1-5-21-\d+-\d+-\d+$/);
    expect(g1?.machineSid).not.toBe(g2?.machineSid);
    expect(g1?.computerName).not.toBe(g2?.computerName);
  });
});

async function pollReady(h: Harness, name: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const view = await h.clients.compute.virtualMachines.instanceView(VRG, name);
    if (view.vmAgent?.statuses?.[0]?.displayStatus === 'Ready') return view;
    if (Date.now() > deadline) throw new Error(`VM ${name} not Ready: ${JSON.stringify(view.statuses)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
