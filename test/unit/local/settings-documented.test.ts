import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localSettings } from '../../../local/local-config';
import { allSettings, loadConfig } from '../../../shared/config';
import type { Setting } from '../../../shared/config/setting';

const ROOT = join(__dirname, '..', '..', '..');
const sample = JSON.parse(readFileSync(join(ROOT, 'local.settings.sample.json'), 'utf8')) as {
  Values: Record<string, string>;
};
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

// The app's settings and the local runner's own (local/local-config.ts) are documented alike.
const documented: Setting<unknown>[] = [...allSettings(), ...Object.values(localSettings)];

describe('settings documentation', () => {
  it.each(documented.map((s) => [s.name]))('local.settings.sample.json lists %s', (name) => {
    expect(Object.keys(sample.Values)).toContain(name);
  });

  it.each(documented.map((s) => [s.name]))("README's configuration table describes %s", (name) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
  });

  it('the sample settings form a valid configuration as they are', () => {
    const values = Object.fromEntries(Object.entries(sample.Values).filter(([, v]) => v !== ''));
    expect(() => loadConfig(values)).not.toThrow();
  });

  it('the sample never carries a secret value', () => {
    for (const setting of documented.filter((s) => s.secret === true && s.name !== 'AzureWebJobsStorage')) {
      expect(sample.Values[setting.name]).toBe('');
    }
  });
});
