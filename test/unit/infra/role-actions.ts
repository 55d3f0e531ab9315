/** Reads infra/role-actions.json, the single list of gallery-guard's Azure control-plane permissions. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RoleAction {
  readonly action: string;
  readonly why: string;
}

export interface RoleSpec {
  readonly roleName: string;
  readonly description: string;
  readonly actions: readonly RoleAction[];
}

export const ROLE_ACTIONS_PATH = join(__dirname, '../../../infra/role-actions.json');

export function loadRoleSpecs(): Readonly<Record<string, RoleSpec>> {
  const raw = JSON.parse(readFileSync(ROLE_ACTIONS_PATH, 'utf8')) as Record<string, RoleSpec | string>;
  const specs: Record<string, RoleSpec> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('$')) continue; // $comment
    if (typeof value === 'string') throw new Error(`role-actions.json: "${key}" must be a role object`);
    specs[key] = value;
  }
  return specs;
}

/** Every granted action, lower-cased (Azure compares operation names case-insensitively). */
export function grantedActions(specs: Readonly<Record<string, RoleSpec>>): Set<string> {
  return new Set(Object.values(specs).flatMap((r) => r.actions.map((a) => a.action.toLowerCase())));
}
