/**
 * The workbook and alert rules (infra/app/observability.bicep) and the README's KQL query the
 * metrics the code emits: every metric name they name is declared in shared/telemetry/metric-names.ts
 * and every customDimensions key they read is one of that metric's dimensions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS, METRIC_NAMES } from '../../../shared/telemetry/metric-names';
import { declaration, isObject, parseBicep } from './bicep';

const ROOT = join(__dirname, '../../..');
const FILE = 'infra/app/observability.bicep';
const bicep = parseBicep(FILE, readFileSync(join(ROOT, FILE), 'utf8'));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

function queriesOf(name: string): Record<string, string> {
  const value = declaration(bicep, 'var', name).value;
  if (!isObject(value)) throw new Error(`${FILE}: var ${name} is not an object`);
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      if (typeof v !== 'string') throw new Error(`${FILE}: ${name}.${k} is not a string literal`);
      return [k, v];
    }),
  );
}

const namesIn = (query: string) => [...query.matchAll(/"(gg\.[a-z_.]+)"/g)].map((m) => m[1]!);
const dimensionsIn = (query: string) => [...query.matchAll(/customDimensions\["(\w+)"\]/g)].map((m) => m[1]!);

const workbook = queriesOf('queries');
const alerts = queriesOf('alertQueries');
const readmeQueries = [...readme.matchAll(/```kusto\n([\s\S]*?)```/g)].map((m) => m[1]!);

const everyQuery = [
  ...Object.entries(workbook).map(([k, q]) => [`workbook ${k}`, q] as const),
  ...Object.entries(alerts).map(([k, q]) => [`alert ${k}`, q] as const),
  ...readmeQueries.map((q, i) => [`README query ${i + 1}`, q] as const),
];

describe('observability queries', () => {
  it.each(everyQuery)('%s names only emitted metrics and their dimensions', (_where, query) => {
    const names = namesIn(query);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !METRIC_NAMES.includes(n))).toEqual([]);
    const allowed = new Set(
      Object.values(METRICS)
        .filter((m) => names.includes(m.name))
        .flatMap((m): string[] => [...m.dimensions]),
    );
    expect(dimensionsIn(query).filter((d) => !allowed.has(d))).toEqual([]);
  });

  it('the workbook charts every metric', () => {
    const charted = new Set(Object.values(workbook).flatMap(namesIn));
    expect(METRIC_NAMES.filter((n) => !charted.has(n))).toEqual([]);
  });

  it('alerts on poison messages, stuck runs, an Inconclusive spike, notification and remediation failures', () => {
    expect(namesIn(alerts.poison!)).toEqual([METRICS.poisonMessages.name]);
    expect(namesIn(alerts.stuck!)).toEqual([METRICS.stuckRuns.name]);
    expect(namesIn(alerts.inconclusive!)).toEqual([METRICS.verdicts.name]);
    expect(alerts.inconclusive).toContain('"Inconclusive"');
    expect(namesIn(alerts.notification!)).toEqual([METRICS.notificationFailures.name]);
    expect(namesIn(alerts.remediation!)).toEqual([METRICS.remediationFailures.name]);
    expect(readmeQueries.length).toBeGreaterThanOrEqual(3);
  });
});
