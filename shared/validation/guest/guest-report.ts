import { LINUX_REPORT_MARKER } from './guest-scripts';

/** What one VM said about itself, parsed from Run Command output. Only hashes and paths: no secrets. */
export interface GuestReport {
  readonly osType: 'Linux' | 'Windows';
  readonly hostname: string;
  /** Linux: sha256 prefix of /etc/machine-id; Windows: machine SID. */
  readonly machineIdentity: string;
  /** Linux only: key type → sha256 prefix of the public host key. */
  readonly hostKeys: Readonly<Record<string, string>>;
  readonly regenerateHostKeys?: string;
  readonly cloudInit?: 'ok' | 'errors' | 'absent';
  readonly cloudInitErrors?: string;
  readonly waagentProvisioned?: boolean;
  readonly imageState?: string;
  readonly leftovers: readonly string[];
  /** Leftovers found but not listed (the list is capped to fit Run Command's output). */
  readonly leftoversOmitted?: number;
}

export class GuestReportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GuestReportError';
  }
}

/** Splits Azure's "Enable succeeded: \n[stdout]\n...\n[stderr]\n..." into its stdout part. */
export function runCommandStdout(message: string): string {
  const start = message.indexOf('[stdout]');
  if (start < 0) return message;
  const end = message.indexOf('[stderr]', start);
  return message.slice(start + '[stdout]'.length, end < 0 ? undefined : end);
}

/** The stderr part of the same message (empty when there is none). */
export function runCommandStderr(message: string): string {
  const start = message.indexOf('[stderr]');
  return start < 0 ? '' : message.slice(start + '[stderr]'.length);
}

function objectLine(stdout: string, prefix: string): Record<string, unknown> {
  const line = stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.startsWith(prefix) && l.slice(prefix.length).trim().startsWith('{'));
  if (line === undefined) throw new GuestReportError('check script printed no report line');
  try {
    const value: unknown = JSON.parse(line.slice(prefix.length));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (cause) {
    throw new GuestReportError('check script report is not valid JSON', { cause });
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').map((x) => x.slice(0, 200)) : [];

export function parseLinuxReport(message: string): GuestReport {
  const o = objectLine(runCommandStdout(message), LINUX_REPORT_MARKER);
  const keys =
    o.hostKeys !== null && typeof o.hostKeys === 'object' ? (o.hostKeys as Record<string, unknown>) : {};
  const cloudInit = str(o.cloudInit);
  return {
    osType: 'Linux',
    hostname: str(o.hostname),
    machineIdentity: str(o.machineId),
    hostKeys: Object.fromEntries(Object.entries(keys).filter(([, v]) => typeof v === 'string')) as Record<
      string,
      string
    >,
    regenerateHostKeys: str(o.regenerateHostKeys) || undefined,
    cloudInit: cloudInit === 'ok' || cloudInit === 'errors' ? cloudInit : 'absent',
    cloudInitErrors: str(o.cloudInitErrors) || undefined,
    waagentProvisioned: o.waagentProvisioned === true,
    leftovers: strings(o.leftovers),
    leftoversOmitted:
      typeof o.leftoversOmitted === 'number' && o.leftoversOmitted > 0 ? o.leftoversOmitted : undefined,
  };
}

export function parseWindowsReport(message: string): GuestReport {
  const o = objectLine(runCommandStdout(message), '');
  if (typeof o.computerName !== 'string') throw new GuestReportError('Windows report has no computerName');
  return {
    osType: 'Windows',
    hostname: str(o.computerName),
    machineIdentity: str(o.machineSid),
    hostKeys: {},
    imageState: str(o.imageState) || undefined,
    leftovers: strings(o.leftovers),
  };
}
