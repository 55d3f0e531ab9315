import { isObject, type Json } from './common';

/**
 * Azure keeps a VM's osProfile from its first PUT: a later PUT that changes it is refused with 409
 * PropertyChangeNotAllowed "Changing property 'osProfile' is not allowed." (reported for Update-AzureRmVM,
 * MicrosoftDocs/azure-docs#12602), and customData names itself: "Changing property 'customData' is not
 * allowed." (Azure/azure-sdk-for-node#2297). Credentials count: fresh ephemeral credentials sent to an
 * existing VM are a change. Only what the body names is compared (an update may leave osProfile out).
 * Returns the property to name in the error, or undefined when nothing changes.
 */
export function changedOsProfileProperty(stored: unknown, sent: unknown): string | undefined {
  if (!isObject(sent)) return undefined;
  const before: Json = isObject(stored) ? stored : {};
  if (sent.customData !== undefined && sent.customData !== before.customData) return 'customData';
  for (const name of ['computerName', 'adminUsername', 'adminPassword'] as const) {
    if (sent[name] !== undefined && sent[name] !== before[name]) return 'osProfile';
  }
  const sentKeys = sshKeys(sent);
  if (sentKeys !== undefined && sentKeys !== (sshKeys(before) ?? '')) return 'osProfile';
  return undefined;
}

function sshKeys(osProfile: Json): string | undefined {
  const linux = osProfile.linuxConfiguration;
  if (!isObject(linux) || !isObject(linux.ssh) || !Array.isArray(linux.ssh.publicKeys)) return undefined;
  return JSON.stringify(
    linux.ssh.publicKeys.filter(isObject).map((k) => [k.path ?? null, k.keyData ?? null]),
  );
}
