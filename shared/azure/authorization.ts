/**
 * Authorization failures right after a deployment are role propagation, not misconfiguration: Azure
 * RBAC can take up to 30 minutes to apply new role assignments ("Troubleshoot Azure RBAC",
 * learn.microsoft.com/azure/role-based-access-control/troubleshooting). Within the grace period after
 * GG_DEPLOYED_AT they are retried; after it they are a configuration error for the operators.
 */
export interface AuthorizationGrace {
  readonly deployedAt?: Date;
  readonly graceMinutes: number;
}

const AUTHORIZATION_CODES =
  /^(AuthorizationFailed|LinkedAuthorizationFailed|AuthorizationPermissionMismatch)$/i;

/** 403 with one of ARM's authorization codes (the caller lacks a permission, or it has not arrived). */
export function isAuthorizationFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { statusCode, code } = error as { statusCode?: unknown; code?: unknown };
  return statusCode === 403 && typeof code === 'string' && AUTHORIZATION_CODES.test(code);
}

/** True while new role assignments may still be propagating (no deployment time: never). */
export function withinAuthorizationGrace(grace: AuthorizationGrace, now: Date): boolean {
  if (grace.deployedAt === undefined) return false;
  return now.getTime() < grace.deployedAt.getTime() + grace.graceMinutes * 60_000;
}
