/**
 * Sorts ARM failures into what they say about the image. Nothing in this list is ever the image's
 * fault: ARM errors on our own requests are infrastructure (retry, another size, or later) or our own
 * misconfiguration (Inconclusive). Image faults are only read from the VM itself (instance view,
 * serial log, guest checks).
 */
export const ArmFault = {
  /** 429: wait for Retry-After. */
  Throttled: 'Throttled',
  /** 5xx, timeouts, connection resets, conflicts with an operation in progress. */
  Transient: 'Transient',
  /** SKU not offered/allocation failed in this region: try another size. */
  Capacity: 'Capacity',
  /** Quota exceeded: try later (another size might use another family quota). */
  Quota: 'Quota',
  NotFound: 'NotFound',
  /** A request ARM rejects as invalid: our configuration or a definition ARM cannot deploy. */
  Rejected: 'Rejected',
} as const;
export type ArmFault = (typeof ArmFault)[keyof typeof ArmFault];

export interface ClassifiedArmError {
  readonly fault: ArmFault;
  readonly code: string;
  readonly statusCode?: number;
  readonly retryAfterMs?: number;
  readonly message: string;
}

const CAPACITY =
  /^(SkuNotAvailable|AllocationFailed|ZonalAllocationFailed|OverconstrainedAllocationRequest|OverconstrainedZonalAllocationRequest|AllocationFailedVmSizeNotAvailable|InsufficientCapacity)$/i;
const QUOTA = /quota/i;
const TRANSIENT_CODES =
  /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|REQUEST_SEND_ERROR|InternalServerError|InternalOperationError|RetryableError|Conflict|OperationPreempted|TooManyRequests|ServiceUnavailable|GatewayTimeout)$/i;

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly message?: unknown;
  readonly details?: unknown;
  readonly response?: { readonly headers?: { get?(name: string): string | undefined } };
}

function nestedCode(details: unknown): string | undefined {
  if (details === null || typeof details !== 'object') return undefined;
  const error = (details as { error?: { code?: unknown } }).error;
  return typeof error?.code === 'string' ? error.code : undefined;
}

export function retryAfterMs(headerValue: string | undefined, now = Date.now()): number | undefined {
  if (headerValue === undefined) return undefined;
  const seconds = Number(headerValue);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(headerValue);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function classifyArmError(thrown: unknown): ClassifiedArmError {
  const e = (thrown ?? {}) as ErrorLike;
  const statusCode = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const code =
    nestedCode(e.details) ??
    (typeof e.code === 'string' ? e.code : undefined) ??
    (statusCode ? String(statusCode) : 'Unknown');
  const message = (typeof e.message === 'string' ? e.message : String(thrown)).slice(0, 500);
  const base = { code, statusCode, message };
  if (statusCode === 429) {
    return {
      ...base,
      fault: ArmFault.Throttled,
      retryAfterMs: retryAfterMs(e.response?.headers?.get?.('retry-after')),
    };
  }
  if (CAPACITY.test(code)) return { ...base, fault: ArmFault.Capacity };
  if (code === 'OperationNotAllowed' && QUOTA.test(message)) return { ...base, fault: ArmFault.Quota };
  if (QUOTA.test(code)) return { ...base, fault: ArmFault.Quota };
  if (statusCode === 404 || /^(NotFound|ResourceNotFound|ResourceGroupNotFound)$/i.test(code)) {
    return { ...base, fault: ArmFault.NotFound };
  }
  if (
    statusCode === undefined ||
    statusCode >= 500 ||
    statusCode === 408 ||
    statusCode === 409 ||
    TRANSIENT_CODES.test(code)
  ) {
    return { ...base, fault: ArmFault.Transient };
  }
  return { ...base, fault: ArmFault.Rejected };
}

/** Instance-view status codes like "ProvisioningState/failed/AllocationFailed" that mean infrastructure. */
export function isInfrastructureProvisioningFailure(statusCode: string): boolean {
  const reason = statusCode.split('/')[2] ?? '';
  return (
    CAPACITY.test(reason) ||
    QUOTA.test(reason) ||
    /InternalError|InternalOperationError|NetworkingInternalOperationError/i.test(reason)
  );
}
