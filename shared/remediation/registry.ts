import { PolicyError } from '../azure/action-errors';
import { endOfLife } from './actions/end-of-life';
import { excludeFromLatest } from './actions/exclude-from-latest';
import { promote } from './actions/promote';
import { release } from './actions/release';
import type { RemediationAction } from './remediation-action';

// Parameters are checked by `validate` before `plan` ever sees them, so the registry can hold actions
// of different parameter types behind `unknown`.
function register<P>(action: RemediationAction<P>): RemediationAction<unknown> {
  return { ...action, plan: (current, params, context) => action.plan(current, params as P, context) };
}

/** Every remediation action by name; policies refer to them by these names. */
export const remediationActions: Readonly<Record<string, RemediationAction<unknown>>> = Object.fromEntries(
  [register(excludeFromLatest), register(endOfLife), register(promote), register(release)].map((a) => [
    a.name,
    a,
  ]),
);

export function remediationAction(name: string): RemediationAction<unknown> {
  const action = remediationActions[name];
  if (action === undefined) throw new PolicyError(`unknown remediation action "${name}"`);
  return action;
}
