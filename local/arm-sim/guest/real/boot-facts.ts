/** What a real guest's first boot left behind, read from the guest right after it (gg_facts). */
export interface BootFacts {
  readonly hostname: string;
  readonly machineId: string;
  /** /etc/os-release ID and VERSION_ID, as the instance view reports osName/osVersion. */
  readonly os: { readonly name: string; readonly version: string };
  /** cloud-init's /var/lib/cloud/data/status.json (v1), when cloud-init ran. */
  readonly cloudInit?: CloudInitStatus;
  /** The installed WALinuxAgent's version (its Debian package's, upstream part), when it is enabled. */
  readonly waagentVersion?: string;
}

export interface CloudInitStatus {
  readonly datasource: string | null;
  /** Whether the network stage ('init': users, SSH keys, hostname) finished. */
  readonly initFinished: boolean;
  readonly errors: readonly string[];
}

const text = (facts: ReadonlyMap<string, string>, key: string): string | undefined => {
  const b64 = facts.get(key);
  return b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString();
};

function osRelease(content: string): BootFacts['os'] {
  const field = (name: string): string =>
    new RegExp(`^${name}="?([^"\\n]*)"?$`, 'm').exec(content)?.[1] ?? '';
  return { name: field('ID') || 'linux', version: field('VERSION_ID') };
}

function cloudInitStatus(json: string): CloudInitStatus | undefined {
  try {
    const v1 = (JSON.parse(json) as { v1?: Record<string, unknown> }).v1;
    if (v1 === undefined) return undefined;
    const stages = ['init-local', 'init', 'modules-config', 'modules-final'];
    const errors = stages.flatMap((s) => {
      const stage = v1[s] as { errors?: unknown } | undefined;
      return Array.isArray(stage?.errors) ? stage.errors.map(String) : [];
    });
    const init = v1.init as { finished?: unknown } | undefined;
    return {
      datasource: typeof v1.datasource === 'string' ? v1.datasource : null,
      initFinished: typeof init?.finished === 'number',
      errors,
    };
  } catch {
    return undefined;
  }
}

/** Parses the GG-FACT lines (key → base64 value) a boot printed. */
export function parseBootFacts(facts: ReadonlyMap<string, string>): BootFacts {
  const status = text(facts, 'cloud-init-status');
  const cloudInit = status === undefined || status === '' ? undefined : cloudInitStatus(status);
  const version = /^\d+(?:\.\d+)*/.exec(text(facts, 'waagent-version') ?? '')?.[0];
  return {
    hostname: (text(facts, 'hostname') ?? '').trim(),
    machineId: (text(facts, 'machine-id') ?? '').trim(),
    os: osRelease(text(facts, 'os-release') ?? ''),
    ...(cloudInit !== undefined ? { cloudInit } : {}),
    ...(version !== undefined ? { waagentVersion: version } : {}),
  };
}

/**
 * Whether the guest consumed its provisioning data, as Azure learns it from a cloud-init image:
 * cloud-init found the datasource and finished the stage that creates the user and its keys.
 * (On Azure, cloud-init's Azure datasource reports ready to the platform; here NoCloud stands in.)
 */
export function provisioned(facts: BootFacts): boolean {
  const ci = facts.cloudInit;
  return (
    ci !== undefined && ci.initFinished && ci.datasource !== null && !/^DataSourceNone/.test(ci.datasource)
  );
}

/**
 * Whether the VM agent reports Ready. WALinuxAgent with cloud-init provisioning (Debian's waagent.conf:
 * Provisioning.Agent=cloud-init) waits for cloud-init to have provisioned, then reports Ready
 * (azurelinuxagent/pa/provision/cloudinit.py); its daemon cannot run here (no wire server), so Ready
 * = the agent is installed and enabled, and provisioning finished (or none was due: specialized).
 */
export function agentReady(facts: BootFacts, osState: 'Generalized' | 'Specialized'): boolean {
  return facts.waagentVersion !== undefined && (osState === 'Specialized' || provisioned(facts));
}
