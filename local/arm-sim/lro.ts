import { randomUUID } from 'node:crypto';
import type { SimClock, Scheduler } from './clock';
import type { FaultEffect } from './faults';

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';

/** An ARM asynchronous operation, polled through its Azure-AsyncOperation URL. */
export interface AsyncOperation {
  readonly name: string;
  /** Path of the status resource, e.g. /subscriptions/s/providers/Microsoft.Compute/locations/eastus/operations/<id>. */
  readonly pollPath: string;
  readonly apiVersion: string;
  readonly startTime: string;
  status: OperationStatus;
  endTime?: string;
  error?: { code: string; message: string };
  /** Result of a POST action (run command); served by the Location URL once done. */
  output?: unknown;
  /** The resource the operation acts on (Compute charges its status polls to that VM). */
  readonly resourceId?: string;
}

export interface OperationScope {
  /** Compute VM operations poll `operations`, galleries `capsOperations`, disks `diskOperations`; Network `operations`. */
  readonly provider: 'Microsoft.Compute' | 'Microsoft.Network';
  readonly collection: 'operations' | 'capsOperations' | 'diskOperations';
  readonly subscriptionId: string;
  readonly location: string;
  readonly apiVersion: string;
  readonly resourceId?: string;
}

export type Completion = { ok: true; output?: unknown } | { ok: false; code: string; message: string };

/** Tracks async operations and produces the headers ARM sends with 201/202 responses. */
export class OperationEngine {
  private readonly ops = new Map<string, AsyncOperation>();

  constructor(
    private readonly clock: SimClock,
    private readonly scheduler: Scheduler,
  ) {}

  create(scope: OperationScope): AsyncOperation {
    const name = randomUUID();
    const op: AsyncOperation = {
      name,
      pollPath: `/subscriptions/${scope.subscriptionId}/providers/${scope.provider}/locations/${scope.location.toLowerCase()}/${scope.collection}/${name}`,
      apiVersion: scope.apiVersion,
      startTime: this.clock.wallIso(),
      status: 'InProgress',
      ...(scope.resourceId === undefined ? {} : { resourceId: scope.resourceId }),
    };
    this.ops.set(op.pollPath.toLowerCase(), op);
    return op;
  }

  succeed(op: AsyncOperation, output?: unknown): void {
    if (op.status !== 'InProgress') return;
    op.status = 'Succeeded';
    op.endTime = this.clock.wallIso();
    if (output !== undefined) op.output = output;
  }

  fail(op: AsyncOperation, error: { code: string; message: string }): void {
    if (op.status !== 'InProgress') return;
    op.status = 'Failed';
    op.endTime = this.clock.wallIso();
    op.error = error;
  }

  /**
   * Starts an operation that completes after `simSeconds`, honouring an injected fault:
   * 'fail-operation' fails it with the fault's code (and calls `onFailed`), 'hang-operation' never ends.
   */
  run(
    scope: OperationScope,
    simSeconds: number,
    fault: FaultEffect | undefined,
    complete: () => Completion,
    onFailed?: (error: { code: string; message: string }) => void,
  ): AsyncOperation {
    const op = this.create(scope);
    if (fault?.type === 'hang-operation') return op;
    this.scheduler.after(simSeconds, () => {
      const outcome: Completion =
        fault?.type === 'fail-operation'
          ? { ok: false, code: fault.code, message: fault.message }
          : complete();
      if (outcome.ok) this.succeed(op, outcome.output);
      else {
        const error = { code: outcome.code, message: outcome.message };
        this.fail(op, error);
        onFailed?.(error);
      }
    });
    return op;
  }

  get(pollPath: string): AsyncOperation | undefined {
    return this.ops.get(pollPath.toLowerCase().replace(/\/+$/, ''));
  }

  /** Azure-AsyncOperation (and for POST/DELETE, Location) headers, with a Retry-After in real seconds. */
  headers(op: AsyncOperation, endpoint: string, withLocation: boolean): Record<string, string> {
    const url = `${endpoint}${op.pollPath}?api-version=${op.apiVersion}`;
    const headers: Record<string, string> = { 'Azure-AsyncOperation': url };
    if (withLocation) headers.Location = `${url}&monitor=true`;
    // ARM suggests ~10 s between polls; scaled to real time. Below one real second it is left out so
    // the client's own poll interval applies instead of a hot loop.
    const retryAfter = Math.round(10 / this.clock.timeScale);
    if (retryAfter >= 1) headers['Retry-After'] = String(retryAfter);
    return headers;
  }

  clear(): void {
    this.ops.clear();
  }
}

/** Body of the async-operation status resource. */
export function operationStatusBody(op: AsyncOperation): Record<string, unknown> {
  const body: Record<string, unknown> = { name: op.name, status: op.status, startTime: op.startTime };
  if (op.endTime !== undefined) body.endTime = op.endTime;
  if (op.error !== undefined) body.error = op.error;
  if (op.output !== undefined) body.properties = { output: op.output };
  return body;
}
