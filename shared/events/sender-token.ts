import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { IngestEntraAuth } from '../config';

/**
 * Who may call an ingest webhook when Entra authentication is configured: a bearer token the
 * tenant signed, for our app registration, obtained by the sender's first-party app.
 *
 * - Azure Monitor action groups with `useAadAuth` ("secure webhook") get an app-only token from
 *   the "AZNS AAD Webhook" app for the receiver's identifierUri and send it as
 *   `Authorization: Bearer` (learn.microsoft.com/azure/azure-monitor/alerts/action-groups,
 *   "Configure authentication for Secure webhook"; the docs ask the API to accept v2.0 tokens).
 * - Event Grid with azureActiveDirectoryTenantId/ApplicationIdOrUri on the webhook destination
 *   passes an Entra bearer token "in every message"; the receiver must validate it
 *   (learn.microsoft.com/azure/event-grid/secure-webhook-delivery).
 *
 * Checked as the access token claims reference says (learn.microsoft.com/entra/identity-platform/
 * access-token-claims-reference): signature against the tenant's published keys, `iss` of the
 * tenant (v1.0 or v2.0), `aud` our app, `exp`/`nbf`, and the caller app in `appid` (v1.0) or
 * `azp` (v2.0). Entra signs access tokens with RS256; anything else (including `none`) is refused.
 */
export type WebhookSender = 'action-group' | 'event-grid';

export type SenderCheck =
  | { readonly ok: true; readonly appId: string }
  /** 401: the request is refused; 503: the signing keys could not be read (the sender retries). */
  | { readonly ok: false; readonly status: 401 | 503; readonly reason: string };

export interface SenderVerifier {
  verify(authorization: string | null, sender: WebhookSender): Promise<SenderCheck>;
}

/** Token lifetimes are checked with the 5 minutes of clock skew Microsoft's own validators allow. */
const CLOCK_TOLERANCE_SECONDS = 300;

const refuse = (reason: string): SenderCheck => ({ ok: false, status: 401, reason });

export function createSenderVerifier(auth: IngestEntraAuth): SenderVerifier {
  // Keys are cached in memory and refetched when a token names an unknown kid (key rollover).
  const keys = createRemoteJWKSet(new URL(auth.jwksUrl));
  return {
    async verify(authorization, sender) {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
      if (token === undefined) return refuse('no Microsoft Entra access token in the Authorization header');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: [...auth.issuers],
          audience: [...auth.audiences],
          algorithms: ['RS256'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp'],
        }));
      } catch (error) {
        return failure(error);
      }
      if (typeof payload.tid !== 'string' || payload.tid.toLowerCase() !== auth.tenantId) {
        return refuse('token of another tenant');
      }
      const appId = callerAppId(payload);
      if (appId === undefined) return refuse('token names no caller app (appid/azp)');
      const allowed = sender === 'action-group' ? auth.actionGroupAppIds : auth.eventGridAppIds;
      if (!allowed.includes(appId)) {
        return refuse(`caller app ${appId} may not send ${sender} events`);
      }
      return { ok: true, appId };
    },
  };
}

function callerAppId(payload: JWTPayload): string | undefined {
  const claim = payload.ver === '1.0' ? payload.appid : (payload.azp ?? payload.appid);
  return typeof claim === 'string' ? claim.toLowerCase() : undefined;
}

/** A reason a person can act on; never the token itself. */
function failure(error: unknown): SenderCheck {
  if (error instanceof errors.JWTExpired) return refuse('token expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return refuse('token is for another audience');
    if (error.claim === 'iss') return refuse('token from another issuer');
    if (error.claim === 'nbf') return refuse('token not valid yet');
    return refuse(`token claim ${error.claim} invalid`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return refuse('token signing algorithm not allowed');
  if (error instanceof errors.JWKSNoMatchingKey)
    return refuse('token signed by a key the tenant does not publish');
  if (error instanceof errors.JWSSignatureVerificationFailed) return refuse('token signature invalid');
  if (error instanceof errors.JWKSTimeout) return keysUnavailable('timed out');
  if (error instanceof errors.JWKSInvalid) return keysUnavailable('the key set is malformed');
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return refuse('malformed token');
  }
  // JOSEError itself is what jose throws for a failed key-set response; TypeError a failed fetch.
  if (error instanceof errors.JOSEError && error.code !== 'ERR_JOSE_GENERIC') return refuse('invalid token');
  return keysUnavailable(error instanceof Error ? error.message : String(error));
}

function keysUnavailable(detail: string): SenderCheck {
  return { ok: false, status: 503, reason: `signing keys unavailable (${detail})` };
}
