/** Knobs of `npm run bench` (environment, so `N=50 npm run bench` works). */
export interface BenchOptions {
  /** Versions published in the burst. */
  readonly versions: number;
  /** Target regions per version (the demo gallery has two validation regions). */
  readonly regions: 1 | 2;
  /** VM quota: the per-subscription cap on live validation VMs. */
  readonly quota: number;
  /** Simulated seconds per real second. */
  readonly timeScale: number;
  /** Validations per side of the inventory cost measurement (0 skips it). */
  readonly inventoryRuns: number;
}

export function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function benchOptions(): BenchOptions {
  return {
    versions: intEnv('N', 300, 1, 2000),
    regions: intEnv('R', 2, 1, 2) as 1 | 2,
    quota: intEnv('Q', 20, 2, 500),
    timeScale: intEnv('TIME_SCALE', 10, 1, 3600),
    inventoryRuns: intEnv('INVENTORY_RUNS', 3, 0, 50),
  };
}
