import { ArmError } from './arm-error';

export const FAULT_KINDS = [
  'throttle',
  'server-error',
  'service-unavailable',
  'lro-failed',
  'lro-hang',
  'hang',
  'quota',
  'capacity',
  'sku-not-available',
  'authorization-failed',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * One fault rule. A rule matches a request by RBAC operation name ('*' or absent = any), HTTP method
 * and a regular expression on the path; it then fires on the Nth matching call (1-based), or with
 * probability `rate` drawn from the seeded PRNG, or always when neither is given.
 */
export interface FaultRule {
  readonly operation?: string;
  readonly method?: string;
  readonly pathPattern?: string;
  readonly kind: FaultKind;
  readonly rate?: number;
  readonly nthCall?: number;
  readonly retryAfterSeconds?: number;
}

/** What a fired fault does: answer now with an error, hold the request, or fail the LRO it starts. */
export type FaultEffect =
  | { readonly type: 'respond'; readonly error: ArmError }
  | { readonly type: 'hang' }
  | { readonly type: 'fail-operation'; readonly code: string; readonly message: string }
  | { readonly type: 'hang-operation' };

/** mulberry32: tiny, seedable, good enough for repeatable fault schedules. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function validateFaultRules(input: unknown): FaultRule[] {
  if (!Array.isArray(input)) throw new TypeError('fault rules must be an array');
  return input.map((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null) throw new TypeError(`fault rule ${i} must be an object`);
    const rule = raw as Record<string, unknown>;
    if (!FAULT_KINDS.includes(rule.kind as FaultKind)) {
      throw new TypeError(`fault rule ${i}: kind must be one of ${FAULT_KINDS.join(', ')}`);
    }
    if (rule.rate !== undefined && !(typeof rule.rate === 'number' && rule.rate >= 0 && rule.rate <= 1)) {
      throw new TypeError(`fault rule ${i}: rate must be a number in [0, 1]`);
    }
    if (rule.nthCall !== undefined && !(Number.isInteger(rule.nthCall) && (rule.nthCall as number) >= 1)) {
      throw new TypeError(`fault rule ${i}: nthCall must be an integer >= 1`);
    }
    if (rule.pathPattern !== undefined)
      new RegExp(typeof rule.pathPattern === 'string' ? rule.pathPattern : '', 'i');
    return rule as unknown as FaultRule;
  });
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private matches: number[] = [];
  private random: () => number;
  private fired = 0;

  constructor(private seed: number) {
    this.random = seededRandom(seed);
  }

  set(rules: readonly FaultRule[], seed?: number): void {
    this.rules = validateFaultRules(rules);
    this.matches = this.rules.map(() => 0);
    if (seed !== undefined) this.seed = seed;
    this.random = seededRandom(this.seed);
    this.fired = 0;
  }

  list(): { rules: FaultRule[]; seed: number; fired: number } {
    return { rules: [...this.rules], seed: this.seed, fired: this.fired };
  }

  /** Decides, deterministically for a given request sequence and seed, whether a fault fires. */
  decide(request: { operation: string; method: string; path: string }): FaultEffect | undefined {
    for (const [i, rule] of this.rules.entries()) {
      if (
        rule.operation !== undefined &&
        rule.operation !== '*' &&
        rule.operation.toLowerCase() !== request.operation.toLowerCase()
      )
        continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== request.method) continue;
      if (rule.pathPattern !== undefined && !new RegExp(rule.pathPattern, 'i').test(request.path)) continue;
      const n = (this.matches[i] = (this.matches[i] ?? 0) + 1);
      const fires =
        rule.nthCall !== undefined
          ? n === rule.nthCall
          : rule.rate !== undefined
            ? this.random() < rule.rate
            : true;
      if (fires) {
        this.fired += 1;
        return effectOf(rule, request.operation, request.path);
      }
    }
    return undefined;
  }
}

function effectOf(rule: FaultRule, operation: string, path: string): FaultEffect {
  const retryAfter = String(rule.retryAfterSeconds ?? 1);
  switch (rule.kind) {
    case 'throttle':
      return {
        type: 'respond',
        error: new ArmError(
          429,
          'TooManyRequests',
          `The request is being throttled as the limit has been reached for operation type - ${operation.endsWith('/read') ? 'Read' : 'Write'}_ObservationWindow_00:05:00. For more information, see - https://aka.ms/srpthrottlinglimits`,
          { headers: { 'Retry-After': retryAfter } },
        ),
      };
    case 'authorization-failed':
      // What ARM answers while a role assignment has not arrived yet (or is missing).
      return {
        type: 'respond',
        error: new ArmError(
          403,
          'AuthorizationFailed',
          `The client '00000000-0000-0000-0000-00000000beef' with object id '00000000-0000-0000-0000-00000000beef' does not have authorization to perform action '${operation}' over scope '${path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        ),
      };
    case 'server-error':
      return {
        type: 'respond',
        error: new ArmError(
          500,
          'InternalServerError',
          'Encountered internal server error. Please try again.',
        ),
      };
    case 'service-unavailable':
      return {
        type: 'respond',
        error: new ArmError(
          503,
          'ServiceUnavailable',
          'The service is temporarily unavailable. Please retry later.',
          {
            headers: { 'Retry-After': retryAfter },
          },
        ),
      };
    case 'quota':
      return {
        type: 'respond',
        error: new ArmError(
          409,
          'OperationNotAllowed',
          'Operation could not be completed as it results in exceeding approved Total Regional Cores quota. Additional details - Deployment Model: Resource Manager, Current Limit: 0, Current Usage: 0, Additional Required: 2, (Minimum) New Limit Required: 2. Please read more about quota limits at https://docs.microsoft.com/en-us/azure/azure-supportability/regional-quota-requests.',
        ),
      };
    case 'sku-not-available':
      return {
        type: 'respond',
        error: new ArmError(
          409,
          'SkuNotAvailable',
          'The requested VM size is currently not available in this location. Please try another size or deploy to a different location or different zone. See https://aka.ms/azureskunotavailable for details.',
        ),
      };
    case 'capacity':
      return {
        type: 'fail-operation',
        code: 'AllocationFailed',
        message:
          'Allocation failed. We do not have sufficient capacity for the requested VM size in this region. Read more about improving likelihood of allocation success at http://aka.ms/allocation-guidance',
      };
    case 'lro-failed':
      return {
        type: 'fail-operation',
        code: 'InternalExecutionError',
        message: 'An internal execution error occurred. Please retry later.',
      };
    case 'lro-hang':
      return { type: 'hang-operation' };
    case 'hang':
      return { type: 'hang' };
  }
}
