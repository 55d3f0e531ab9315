import { ArmError } from './arm-error';
import type { SimClock } from './clock';

/** A token bucket's refill per minute and capacity, as Compute documents them. */
interface Limit {
  readonly refillPerMinute: number;
  readonly capacity: number;
}

interface Policy {
  readonly name: string;
  /** Per VM; absent where only the subscription policy applies. */
  readonly resource?: Limit;
  readonly subscription: Limit;
}

/**
 * Compute's throttling policies for virtual machines ("Compute throttling limits", learn.microsoft.com
 * /azure/virtual-machines/compute-throttling-limits): token buckets per VM and per subscription and
 * region, refilled every minute. Run Command counts as a VM update; Get, Instance View and Retrieve
 * Boot Diagnostics Data are "Low Cost Get VM"; the status of a VM's async operations is "Get Operation".
 */
const POLICIES = {
  PutVM: { name: 'PutVM', resource: { refillPerMinute: 4, capacity: 12 }, subscription: { refillPerMinute: 500, capacity: 1500 } },
  UpdateVM: { name: 'UpdateVM', resource: { refillPerMinute: 4, capacity: 12 }, subscription: { refillPerMinute: 500, capacity: 1500 } },
  DeleteVM: { name: 'DeleteVM', resource: { refillPerMinute: 4, capacity: 12 }, subscription: { refillPerMinute: 500, capacity: 1500 } },
  LowCostGetVM: { name: 'LowCostGetVM', resource: { refillPerMinute: 12, capacity: 36 }, subscription: { refillPerMinute: 8000, capacity: 24000 } },
  HighCostGetVM: { name: 'HighCostGetVM', subscription: { refillPerMinute: 300, capacity: 900 } },
  GetOperation: { name: 'GetOperation', resource: { refillPerMinute: 15, capacity: 45 }, subscription: { refillPerMinute: 5000, capacity: 15000 } },
} satisfies Record<string, Policy>; // prettier-ignore

export type ComputePolicyName = keyof typeof POLICIES;

/** What one request is charged to: a policy, the VM it addresses (if any), its subscription and region. */
export interface ComputeCharge {
  readonly policy: ComputePolicyName;
  readonly vmId?: string;
  readonly subscriptionId: string;
  readonly region: string;
}

interface Tokens {
  level: number;
  atMs: number;
}

export interface ThrottleCounts {
  readonly total: number;
  readonly byPolicy: Readonly<Record<string, number>>;
}

/**
 * Enforces the policies above on the simulator's clock: a request that finds a bucket empty is
 * answered 429 the way Compute answers it (code OperationNotAllowed, a TooManyRequests detail naming
 * the policy, Retry-After in seconds: "Troubleshooting API throttling errors"), and consumes nothing.
 */
export class ComputeThrottle {
  private readonly buckets = new Map<string, Tokens>();
  private throttled = new Map<string, number>();

  constructor(
    private readonly clock: SimClock,
    private readonly enabled: () => boolean,
  ) {}

  /** Charges one request; returns the remaining-calls headers, or throws the 429. */
  charge(c: ComputeCharge): Record<string, string> {
    const policy: Policy = POLICIES[c.policy];
    const now = this.clock.elapsedMs();
    const scopes: { key: string; limit: Limit; label: string }[] = [
      { key: `s|${c.subscriptionId.toLowerCase()}|${c.region}|${policy.name}`, limit: policy.subscription, label: `${policy.name}Subscription` },
    ]; // prettier-ignore
    if (policy.resource && c.vmId !== undefined) {
      scopes.unshift({ key: `r|${c.vmId.toLowerCase()}|${policy.name}`, limit: policy.resource, label: policy.name });
    } // prettier-ignore
    const levels = scopes.map((s) => ({ ...s, tokens: this.refill(s.key, s.limit, now) }));
    const empty = levels.find((l) => l.tokens.level < 1);
    if (empty !== undefined && this.enabled()) {
      this.throttled.set(policy.name, (this.throttled.get(policy.name) ?? 0) + 1);
      const simSeconds = ((1 - empty.tokens.level) * 60) / empty.limit.refillPerMinute;
      const retryAfter = Math.max(1, Math.ceil(simSeconds / this.clock.timeScale));
      throw new ArmError(
        429,
        'OperationNotAllowed',
        'The server rejected the request because too many requests have been received for this subscription.',
        {
          headers: {
            'Retry-After': String(retryAfter),
            'x-ms-ratelimit-remaining-resource': levels.map((l) => `Microsoft.Compute/${l.label};${Math.floor(l.tokens.level)}`).join(','),
          },
          details: [
            {
              code: 'TooManyRequests',
              target: empty.label,
              message: JSON.stringify({ operationGroup: empty.label, allowedRequestCount: empty.limit.capacity }),
            },
          ],
        },
      ); // prettier-ignore
    }
    for (const l of levels) l.tokens.level = Math.max(0, l.tokens.level - 1);
    return {
      'x-ms-ratelimit-remaining-resource': levels
        .map((l) => `Microsoft.Compute/${l.label};${Math.floor(l.tokens.level)}`)
        .join(','),
    };
  }

  counts(): ThrottleCounts {
    const byPolicy = Object.fromEntries([...this.throttled.entries()].sort(([a], [b]) => a.localeCompare(b)));
    return { total: Object.values(byPolicy).reduce((a, b) => a + b, 0), byPolicy };
  }

  reset(): void {
    this.buckets.clear();
    this.throttled = new Map();
  }

  private refill(key: string, limit: Limit, now: number): Tokens {
    const t = this.buckets.get(key) ?? { level: limit.capacity, atMs: now };
    t.level = Math.min(limit.capacity, t.level + ((now - t.atMs) / 60_000) * limit.refillPerMinute);
    t.atMs = now;
    this.buckets.set(key, t);
    return t;
  }
}

const VM_OP = 'Microsoft.Compute/virtualMachines';

/** The request's charge under Compute's VM policies, or undefined when none applies. */
export function computeChargeOf(input: {
  readonly operation: string;
  readonly method: string;
  readonly params: Readonly<Record<string, string>>;
  /** Finds a VM (for its region and whether a PUT creates or updates it). */
  readonly vm: (id: string) => { readonly location?: string } | undefined;
  /** The VM an async operation acts on, for polls of its status. */
  readonly operationResource: () => string | undefined;
}): ComputeCharge | undefined {
  const { operation, method, params } = input;
  const sub = params.subscriptionId ?? '';
  const vmId =
    params.vmName === undefined
      ? undefined
      : `/subscriptions/${sub}/resourceGroups/${params.resourceGroupName ?? ''}/providers/${VM_OP}/${params.vmName}`;
  const at = (policy: ComputePolicyName, id: string | undefined): ComputeCharge => {
    const region = (id === undefined ? undefined : input.vm(id)?.location) ?? params.location ?? 'global';
    return { policy, subscriptionId: sub, region: region.toLowerCase(), ...(id === undefined ? {} : { vmId: id }) };
  }; // prettier-ignore
  if (operation === `${VM_OP}/write` && method === 'PUT' && vmId !== undefined)
    return at(input.vm(vmId) ? 'UpdateVM' : 'PutVM', vmId);
  if (operation === `${VM_OP}/runCommand/action`) return at('UpdateVM', vmId);
  if (operation === `${VM_OP}/delete`) return at('DeleteVM', vmId);
  if (operation === `${VM_OP}/read`)
    return vmId === undefined ? at('HighCostGetVM', undefined) : at('LowCostGetVM', vmId);
  if (
    operation === `${VM_OP}/instanceView/read` ||
    operation === `${VM_OP}/retrieveBootDiagnosticsData/action`
  )
    return at('LowCostGetVM', vmId);
  if (operation === 'Microsoft.Compute/locations/operations/read') {
    const target = input.operationResource();
    return at('GetOperation', target !== undefined && target.toLowerCase().includes('/virtualmachines/') ? target : undefined);
  } // prettier-ignore
  return undefined;
}
