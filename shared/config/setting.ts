/** A setting the service reads from its environment (app settings in Azure, local.settings.json offline). */
export interface Setting<T> {
  readonly name: string;
  readonly description: string;
  /** Secrets are never logged or echoed back in error messages. */
  readonly secret?: boolean;
  /** Read only by the offline runner/simulator wiring; never deployed as an Azure app setting. */
  readonly localOnly?: boolean;
  /** Parses the raw value; `undefined` means the setting is absent. Throws a plain message on bad input. */
  readonly parse: (raw: string | undefined) => T;
}

export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`Invalid setting ${setting}: ${message}`);
    this.name = 'ConfigError';
  }
}

export function readSetting<T>(setting: Setting<T>, env: Readonly<Record<string, string | undefined>>): T {
  const raw = env[setting.name];
  try {
    return setting.parse(raw === '' ? undefined : raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(setting.name, reason);
  }
}

export const parsers = {
  required:
    (hint: string) =>
    (raw: string | undefined): string => {
      if (raw === undefined) throw new Error(`required (${hint})`);
      return raw.trim();
    },
  optional: (raw: string | undefined): string | undefined => raw?.trim(),
  withDefault:
    (fallback: string) =>
    (raw: string | undefined): string =>
      raw?.trim() ?? fallback,
  integer:
    (fallback: number, min: number, max: number) =>
    (raw: string | undefined): number => {
      if (raw === undefined) return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new Error(`expected a whole number from ${min} to ${max}, got "${raw}"`);
      }
      return value;
    },
  oneOf:
    <T extends string>(values: readonly T[], fallback: T) =>
    (raw: string | undefined): T => {
      if (raw === undefined) return fallback;
      const value = values.find((v) => v.toLowerCase() === raw.trim().toLowerCase());
      if (value === undefined) throw new Error(`expected one of ${values.join(', ')}, got "${raw}"`);
      return value;
    },
  httpsUrl:
    (fallback: string | undefined) =>
    (raw: string | undefined): string | undefined => {
      const value = raw?.trim() ?? fallback;
      if (value === undefined) return undefined;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw new Error('expected an absolute URL');
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('expected an http(s) URL');
      return value;
    },
} as const;
