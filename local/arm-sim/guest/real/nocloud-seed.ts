/** What a VM's PUT body says about its provisioning, as Azure hands it to the guest. */
export interface ProvisioningInput {
  /** The VM's vmId: a fresh instance id per VM, as Azure's is. */
  readonly instanceId: string;
  /** osProfile.computerName (generalized images only). */
  readonly computerName?: string;
  readonly adminUsername?: string;
  readonly sshPublicKeys: readonly string[];
  readonly disablePasswordAuthentication?: boolean;
  /** osProfile.customData, base64 as in the PUT body. */
  readonly customData?: string;
}

/**
 * A NoCloud seed carrying what Azure's provisioning ISO (ovf-env.xml) carries, split the way
 * cloud-init's Azure datasource splits it: instance id, hostname and SSH keys are metadata
 * (NoCloud meta-data, `public-keys`); the admin user becomes the distro's default user and password
 * login follows disablePasswordAuthentication (platform config: vendor-data); customData is the
 * user's user-data. JSON is valid YAML, so no value can break the files' syntax.
 * Formats: https://github.com/canonical/cloud-init/blob/22.3.4/doc/rtd/topics/datasources/nocloud.rst
 */
export function noCloudSeed(
  input: ProvisioningInput,
): Record<'meta-data' | 'vendor-data' | 'user-data', string> {
  const meta: Record<string, unknown> = { 'instance-id': input.instanceId };
  if (input.computerName !== undefined) meta['local-hostname'] = input.computerName;
  if (input.sshPublicKeys.length > 0) meta['public-keys'] = [...input.sshPublicKeys];
  const vendor: Record<string, unknown> = {};
  if (input.adminUsername !== undefined) vendor.system_info = { default_user: { name: input.adminUsername } };
  if (input.disablePasswordAuthentication !== undefined)
    vendor.ssh_pwauth = !input.disablePasswordAuthentication;
  return {
    'meta-data': `${JSON.stringify(meta)}\n`,
    'vendor-data': Object.keys(vendor).length > 0 ? `#cloud-config\n${JSON.stringify(vendor)}\n` : '',
    'user-data': input.customData !== undefined ? Buffer.from(input.customData, 'base64').toString() : '',
  };
}
