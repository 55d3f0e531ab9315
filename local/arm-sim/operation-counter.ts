/**
 * Counts ARM requests by the RBAC operation they are authorised as, plus the linked-access checks
 * ARM makes on referenced resources (e.g. `subnets/join/action` when a NIC names a subnet). The two
 * together are the least-privilege role; the first alone is the ARM request budget.
 */
export interface OperationCounts {
  /** Every ARM request served (admin and blob paths excluded). */
  readonly total: number;
  /** Requests by RBAC operation name. */
  readonly byOperation: Readonly<Record<string, number>>;
  /** Linked-access authorisations made while serving those requests (not separate requests). */
  readonly linkedAccess: Readonly<Record<string, number>>;
}

export class OperationCounter {
  private total = 0;
  private byOperation = new Map<string, number>();
  private linked = new Map<string, number>();

  request(operation: string): void {
    this.total += 1;
    this.byOperation.set(operation, (this.byOperation.get(operation) ?? 0) + 1);
  }

  linkedAccess(operation: string): void {
    this.linked.set(operation, (this.linked.get(operation) ?? 0) + 1);
  }

  snapshot(): OperationCounts {
    const sorted = (m: Map<string, number>): Record<string, number> =>
      Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
    return { total: this.total, byOperation: sorted(this.byOperation), linkedAccess: sorted(this.linked) };
  }

  /** Every RBAC action seen, for building and checking a least-privilege role. */
  requiredActions(): string[] {
    return [...new Set([...this.byOperation.keys(), ...this.linked.keys()])].sort();
  }

  reset(): void {
    this.total = 0;
    this.byOperation = new Map();
    this.linked = new Map();
  }
}
