/**
 * Offline stand-in for App Service authentication: the local runner has no Entra ID, so `gg` says who
 * it is in the header the platform would inject (an operator named --by). In Azure the platform does
 * not let a request set this header (it injects the verified caller), so this grants nothing there:
 * sign in and pass the app's token in GG_TOKEN instead (sent as `Authorization: Bearer`).
 */
export const CLIENT_PRINCIPAL_HEADER = 'x-ms-client-principal';

export function localPrincipal(by: string): string {
  const claims = [
    { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: `local:${by}` },
    { typ: 'preferred_username', val: by },
    { typ: 'roles', val: 'GalleryGuard.Operator' },
  ];
  return Buffer.from(JSON.stringify({ auth_typ: 'aad', claims })).toString('base64');
}
