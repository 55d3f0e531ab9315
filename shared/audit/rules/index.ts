import type { AuditContext } from '../audit-context';
import type { Finding } from '../finding';
import { latestRules } from './latest-rules';
import { lifecycleRules } from './lifecycle-rules';
import { ownershipRules } from './ownership-rules';
import { replicaRules } from './replica-rules';
import { runRules } from './run-rules';
import { sharingRules } from './sharing-rules';

/** Every rule group; each is a pure function of what one audit read. */
export const AUDIT_RULES: readonly ((ctx: AuditContext) => Finding[])[] = [
  latestRules,
  lifecycleRules,
  sharingRules,
  ownershipRules,
  replicaRules,
  runRules,
];

export function evaluateRules(ctx: AuditContext): Finding[] {
  return AUDIT_RULES.flatMap((rule) => rule(ctx));
}
