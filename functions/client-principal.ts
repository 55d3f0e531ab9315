import type { HttpRequest } from '@azure/functions';
import type { Config } from '../shared/config';

/**
 * The caller App Service authentication verified. With authsettingsV2 configured the platform puts
 * the validated token's claims, base64 JSON `{auth_typ, claims: [{typ, val}], name_typ, role_typ}`,
 * in x-ms-client-principal, and external requests cannot set it
 * (https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities). Without
 * that configuration anyone can send the header, so it is read only when GG_APP_SERVICE_AUTH is true.
 */
export const CLIENT_PRINCIPAL_HEADER = 'x-ms-client-principal';

export interface VerifiedPrincipal {
  /** Entra object id (oid) of the user or service principal. */
  readonly objectId: string;
  /** Human-readable name (UPN, e-mail or display name), for records and cards. */
  readonly name: string;
  readonly roles: readonly string[];
  readonly groups: readonly string[];
}

const OID_CLAIMS = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'];
const NAME_CLAIMS = [
  'preferred_username',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  'name',
];
const ROLE_CLAIMS = ['roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];
const GROUP_CLAIMS = ['groups'];

interface Claim {
  readonly typ: string;
  readonly val: string;
}

function claimsOf(header: string): { claims: Claim[]; nameType?: string; roleType?: string } | undefined {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof decoded !== 'object' || decoded === null) return undefined;
  const { claims, name_typ: nameType, role_typ: roleType } = decoded as Record<string, unknown>;
  if (!Array.isArray(claims)) return undefined;
  const valid = claims.filter(
    (c): c is Claim =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as Claim).typ === 'string' &&
      typeof (c as Claim).val === 'string',
  );
  return {
    claims: valid,
    ...(typeof nameType === 'string' ? { nameType } : {}),
    ...(typeof roleType === 'string' ? { roleType } : {}),
  };
}

export type PrincipalCheck =
  { readonly principal: VerifiedPrincipal } | { readonly status: 401 | 403; readonly error: string };

/** The verified caller allowed to act as an operator, or why not (401 no principal, 403 not allowed). */
export function operatorPrincipal(request: HttpRequest, config: Pick<Config, 'operators'>): PrincipalCheck {
  const { appServiceAuth, roles, groups } = config.operators;
  if (!appServiceAuth) {
    return {
      status: 403,
      error: 'App Service authentication is not configured (GG_APP_SERVICE_AUTH): no caller can be verified',
    };
  }
  const header = request.headers.get(CLIENT_PRINCIPAL_HEADER);
  const parsed = header === null ? undefined : claimsOf(header);
  if (parsed === undefined) {
    return { status: 401, error: 'sign in with Microsoft Entra ID (no verified principal on the request)' };
  }
  const all = (types: readonly string[]): string[] =>
    parsed.claims.filter((c) => types.includes(c.typ)).map((c) => c.val);
  const objectId = all(OID_CLAIMS)[0];
  if (objectId === undefined) return { status: 401, error: 'the verified principal has no object id' };
  const name =
    all([...(parsed.nameType === undefined ? [] : [parsed.nameType]), ...NAME_CLAIMS])[0] ?? objectId;
  const principal: VerifiedPrincipal = {
    objectId,
    name,
    roles: all([...(parsed.roleType === undefined ? [] : [parsed.roleType]), ...ROLE_CLAIMS]),
    groups: all(GROUP_CLAIMS),
  };
  const allowed =
    principal.roles.some((r) => roles.includes(r)) || principal.groups.some((g) => groups.includes(g));
  if (!allowed) {
    return {
      status: 403,
      error: `${name} has none of the operator roles (GG_OPERATOR_ROLES) or groups (GG_OPERATOR_GROUPS)`,
    };
  }
  return { principal };
}
