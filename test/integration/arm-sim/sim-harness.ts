import { request } from 'node:https';
import type { VirtualMachine } from '@azure/arm-compute';
import { createArmClients, type ArmClients } from '../../../shared/azure/arm-clients';
import { DEMO, startArmSimulator, type ArmSimulator, type ArmSimulatorOptions } from '../../../local/arm-sim';
import { localCredential } from '../../../local/azure/local-token-credential';

export const SUB = DEMO.subscriptionId;
export const RG = DEMO.resourceGroup;
export const GALLERY = DEMO.gallery;
export const VRG = DEMO.validationResourceGroup;
export const imageId = (image: string): string =>
  `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/galleries/${GALLERY}/images/${image}`;
export const versionId = (image: string, version = '1.0.0'): string =>
  `${imageId(image)}/versions/${version}`;
export const subnetId = (region: string): string =>
  `/subscriptions/${SUB}/resourceGroups/${VRG}/providers/Microsoft.Network/virtualNetworks/vnet-gg-validation-${region}/subnets/validation`;

export interface Harness {
  readonly sim: ArmSimulator;
  readonly clients: ArmClients;
  /** LRO options for begin* calls: poll fast. */
  readonly poll: { readonly updateIntervalInMs: number };
}

/**
 * Starts a simulator (fast clock, synthetic guests unless asked otherwise) and builds clients through
 * the production builder.
 */
export async function startHarness(options: ArmSimulatorOptions = {}): Promise<Harness> {
  const sim = await startArmSimulator({ timeScale: 600, guests: 'synthetic', ...options });
  const clients = createArmClients(
    { arm: { endpoint: sim.endpoint, caCertPath: sim.caCertPath, pollIntervalMs: 5 } },
    SUB,
    localCredential,
  );
  return { sim, clients, poll: clients.pollOptions };
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 20));
  }
}

let counter = 0;

export interface CreatedVm {
  readonly name: string;
  /** Waits for the create LRO through the SDK poller (rejects with ARM's error when it fails). */
  readonly done: () => Promise<VirtualMachine>;
}

/** Creates a NIC in the validation subnet and starts a VM from `imageReferenceId`. */
export async function createVm(
  h: Harness,
  input: {
    imageReferenceId: string;
    region?: string;
    size?: string;
    osProfile?: Record<string, unknown> | null;
    /** Default TrustedLaunch; 'omit' sends no securityProfile (the api-version's default applies). */
    securityType?: string;
    tags?: Record<string, string>;
  },
): Promise<CreatedVm> {
  const region = input.region ?? 'eastus';
  const name = `ggv-${process.pid}-${++counter}`;
  const nic = await h.clients.network.networkInterfaces.beginCreateOrUpdateAndWait(
    VRG,
    `${name}-nic`,
    { location: region, ipConfigurations: [{ name: 'ipconfig1', subnet: { id: subnetId(region) } }] },
    h.poll,
  );
  const osProfile =
    input.osProfile === undefined
      ? {
          computerName: name,
          adminUsername: 'ggadmin',
          linuxConfiguration: {
            disablePasswordAuthentication: true,
            ssh: {
              publicKeys: [
                {
                  path: '/home/ggadmin/.ssh/authorized_keys',
                  keyData: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITESTKEY gg',
                },
              ],
            },
          },
        }
      : input.osProfile;
  const poller = await h.clients.compute.virtualMachines.beginCreateOrUpdate(
    VRG,
    name,
    {
      location: region,
      tags: input.tags ?? { 'gallery-guard': 'validation' },
      hardwareProfile: { vmSize: input.size ?? 'Standard_D2s_v5' },
      storageProfile: {
        imageReference: { id: input.imageReferenceId },
        osDisk: {
          createOption: 'FromImage',
          deleteOption: 'Delete',
          managedDisk: { storageAccountType: 'Standard_LRS' },
        },
      },
      ...(osProfile === null ? {} : { osProfile }),
      networkProfile: { networkInterfaces: [{ id: nic.id!, deleteOption: 'Delete', primary: true }] },
      ...(input.securityType === 'omit'
        ? {}
        : {
            securityProfile: {
              securityType: input.securityType ?? 'TrustedLaunch',
              ...(input.securityType === 'Standard'
                ? {}
                : { uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } }),
            },
          }),
      diagnosticsProfile: { bootDiagnostics: { enabled: true } },
    },
    h.poll,
  );
  return { name, done: () => poller.pollUntilDone() };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

/** A plain HTTPS call to the simulator (for wire-level checks the SDK hides, and the admin API). */
export function rawRequest(
  sim: ArmSimulator,
  method: string,
  path: string,
  options: { body?: unknown; auth?: boolean } = {},
): Promise<RawResponse> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.endpoint}${path}`,
      {
        method,
        ca: sim.caCertPem,
        headers: {
          ...(options.auth === false ? {} : { authorization: 'Bearer any-token' }),
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? (JSON.parse(text) as unknown) : undefined,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Downloads a URL the simulator serves (boot-diagnostics blobs), trusting its CA. */
export function download(url: string, ca: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    })
      .on('error', reject)
      .end();
  });
}
