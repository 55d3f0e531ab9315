import { PolicyError } from '../azure/action-errors';
import { endOfLife } from './actions/end-of-life';
import { excludeFromLatest } from './actions/exclude-from-latest';
import { promote } from './actions/promote';
import { release } from './actions/release';
import type { RemediationAction } from './remediation-action';

/** Remediation actions by name; plans and operator requests refer to them by these names. */
export type ActionRegistry = Readonly<Record<string, RemediationAction<unknown>>>;

/**
 * A registry of the given actions; two actions with one name are a programming error. Parameters are
 * checked by `validate` before `plan` sees them, so the registry holds actions of different parameter
 * types behind `unknown`.
 */
export function actionRegistry<P extends readonly unknown[]>(
  actions: readonly [...{ [K in keyof P]: RemediationAction<P[K]> }],
): ActionRegistry {
  const byName: Record<string, RemediationAction<unknown>> = {};
  for (const action of actions as readonly RemediationAction<unknown>[]) {
    if (Object.hasOwn(byName, action.name)) {
      throw new PolicyError(`remediation action "${action.name}" is registered twice`);
    }
    byName[action.name] = action;
  }
  return byName;
}

/** Every remediation action gallery-guard can run: one line per action. */
export const remediationActions: ActionRegistry = actionRegistry([
  excludeFromLatest,
  endOfLife,
  promote,
  release,
]);

export function remediationAction(
  name: string,
  registry: ActionRegistry = remediationActions,
): RemediationAction<unknown> {
  const action = Object.hasOwn(registry, name) ? registry[name] : undefined;
  if (action === undefined) throw new PolicyError(`unknown remediation action "${name}"`);
  return action;
}
