import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from './local-service';

/**
 * The `Values` of local.settings.json (what `func start` reads), falling back to
 * local.settings.sample.json so a fresh clone starts without any setup. Real environment variables win.
 */
export function loadLocalSettings(root = process.cwd()): { env: Env; file: string } {
  const own = join(root, 'local.settings.json');
  const file = existsSync(own) ? own : join(root, 'local.settings.sample.json');
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, unknown> };
  const values: Env = {};
  for (const [name, value] of Object.entries(parsed.Values ?? {})) {
    if (typeof value === 'string' && value !== '') values[name] = value;
  }
  const fromProcess = Object.fromEntries(
    Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ''),
  );
  return { env: { ...values, ...fromProcess }, file };
}
