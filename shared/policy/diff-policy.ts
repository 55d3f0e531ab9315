import { DIFF_RULE_NAMES, type DiffRuleName, type InventoryConfig } from '../config';
import { readTag, type Tags } from './remediation-policy';

/**
 * Rules on what changed against the baseline (what "latest" resolves to now). Configured by settings
 * (GG_DIFF_*, validated at load: a bad value stops the service with the setting's name) and
 * overridden per image definition by tags, definition over gallery. A tag we do not understand is
 * reported and the setting applies: a typo never fails an image.
 */
export const DIFF_RULES = DIFF_RULE_NAMES;
export type DiffRule = DiffRuleName;
export type NewPortAction = 'fail' | 'warn' | 'off';
export const NEW_PORT_ACTIONS: readonly NewPortAction[] = ['fail', 'warn', 'off'];

/** The settings' defaults are a DiffPolicy as they stand. */
export type DiffPolicyDefaults = InventoryConfig['diff'];

export interface DiffPolicy {
  /** Fail when boot time grows by more than this % against the baseline; 0 turns the rule off. */
  readonly bootRegressionPercent: number;
  /** ...and by at least this many seconds, so a 2 s → 3 s jitter is never "+50 %". */
  readonly bootMinSeconds: number;
  readonly mustHavePackages: readonly string[];
  readonly mustHaveServices: readonly string[];
  readonly newPort: NewPortAction;
  /** Rules whose failures are reported as warnings, without failing the version. */
  readonly warnOnly: readonly DiffRule[];
}

export const DiffTag = {
  /** on | off: whether this definition's Linux guests report an inventory and get a diff at all. */
  inventory: 'gg-inventory',
  bootRegressionPercent: 'gg-diff-boot-regression-percent',
  bootMinSeconds: 'gg-diff-boot-min-seconds',
  mustHavePackages: 'gg-diff-must-have-packages',
  mustHaveServices: 'gg-diff-must-have-services',
  newPort: 'gg-diff-new-port',
  warnOnly: 'gg-diff-warn-only',
} as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9+._@:-]{0,127}$/;

/** Comma-separated names; throws a message naming the bad entry. */
export function parseNameList(raw: string | undefined): string[] {
  const names = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const bad = names.find((n) => !NAME.test(n));
  if (bad !== undefined) throw new Error(`"${bad.slice(0, 64)}" is not a package or unit name`);
  return [...new Set(names)];
}

export function parseRuleList(raw: string | undefined): DiffRule[] {
  return parseNameList(raw).map((name) => {
    const rule = DIFF_RULES.find((r) => r === name.toLowerCase());
    if (rule === undefined) throw new Error(`"${name}" is not one of ${DIFF_RULES.join(', ')}`);
    return rule;
  });
}

export function parseNumberIn(raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new Error(`expected a number from ${min} to ${max}, got "${raw.slice(0, 40)}"`);
  return value;
}

/** The definition's diff policy: `defaults` (settings) with its tags applied. */
export function resolveDiffPolicy(
  definitionTags: Tags,
  galleryTags: Tags,
  defaults: DiffPolicy,
): { readonly policy: DiffPolicy; readonly enabled: boolean; readonly problems: readonly string[] } {
  const problems: string[] = [];
  const read = <T>(name: string, parse: (raw: string) => T, fallback: T): T => {
    const raw = readTag(definitionTags, name) ?? readTag(galleryTags, name);
    if (raw === undefined) return fallback;
    try {
      return parse(raw);
    } catch (error) {
      problems.push(
        `tag ${name}: ${error instanceof Error ? error.message : String(error)}; using the setting`,
      );
      return fallback;
    }
  };
  const newPort = (raw: string): NewPortAction => {
    const value = NEW_PORT_ACTIONS.find((a) => a === raw.toLowerCase());
    if (value === undefined)
      throw new Error(`"${raw.slice(0, 40)}" is not one of ${NEW_PORT_ACTIONS.join(', ')}`);
    return value;
  };
  const onOff = (raw: string): boolean => {
    if (!['on', 'off'].includes(raw.toLowerCase())) throw new Error(`"${raw.slice(0, 40)}" is not on or off`);
    return raw.toLowerCase() === 'on';
  };
  return {
    enabled: read(DiffTag.inventory, onOff, true),
    policy: {
      bootRegressionPercent: read(
        DiffTag.bootRegressionPercent,
        (r) => parseNumberIn(r, 0, 10_000),
        defaults.bootRegressionPercent,
      ),
      bootMinSeconds: read(DiffTag.bootMinSeconds, (r) => parseNumberIn(r, 0, 3600), defaults.bootMinSeconds),
      mustHavePackages: read(DiffTag.mustHavePackages, parseNameList, defaults.mustHavePackages),
      mustHaveServices: read(DiffTag.mustHaveServices, parseNameList, defaults.mustHaveServices),
      newPort: read(DiffTag.newPort, newPort, defaults.newPort),
      warnOnly: read(DiffTag.warnOnly, parseRuleList, defaults.warnOnly),
    },
    problems,
  };
}
