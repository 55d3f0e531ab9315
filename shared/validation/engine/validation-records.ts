import type { TableClient } from '@azure/data-tables';
import { odata } from '../../azure/odata';
import { ensureTables } from '../../azure/ensure-table';
import { escapeTableKey } from '../../azure/table-key';
import { TableStore } from '../../azure/table-store';
import type { StepStats } from '../run/validation-state';
import type { CheckResult } from '../../verdict/verdict';
import { excerpt } from '../../verdict/excerpt';

export const STEP_TABLE = 'ggsteps';
export const CHECK_TABLE = 'ggchecks';

/**
 * Per-step and per-check rows of a run, partitioned by run id. Upserts of values derived from the run
 * row, so writing them again after a crash changes nothing. Evidence is a short excerpt: guest output
 * is hashes and paths, and credentials are never part of the state these rows come from.
 */
export class ValidationRecords {
  private readonly stepRows: TableStore<Record<string, unknown>>;
  private readonly checkRows: TableStore<Record<string, unknown>>;

  constructor(
    private readonly steps: TableClient,
    private readonly checks: TableClient,
  ) {
    this.stepRows = new TableStore(steps);
    this.checkRows = new TableStore(checks);
  }

  private ensureTables(): Promise<void> {
    return ensureTables(this.steps, this.checks);
  }

  async writeStep(runId: string, phase: string, stats: StepStats): Promise<void> {
    await this.ensureTables();
    await this.stepRows.upsert({
      partitionKey: escapeTableKey(runId),
      rowKey: phase,
      runId,
      phase,
      startedAt: stats.startedAt,
      endedAt: stats.endedAt ?? '',
      attempts: stats.attempts,
      armCalls: stats.armCalls,
      outcome: (stats.outcome ?? '').slice(0, 500),
    });
  }

  async writeChecks(runId: string, checks: readonly CheckResult[]): Promise<void> {
    await this.ensureTables();
    for (const check of checks) {
      await this.checkRows.upsert({
        partitionKey: escapeTableKey(runId),
        rowKey: escapeTableKey(`${check.name}|${check.vmName ?? check.region ?? 'run'}`),
        runId,
        name: check.name,
        status: check.status,
        reason: excerpt(check.reason, 1000),
        region: check.region ?? '',
        vmName: check.vmName ?? '',
        evidence: excerpt(check.evidence, 1000),
      });
    }
  }

  async listChecks(runId: string): Promise<Record<string, unknown>[]> {
    await this.ensureTables();
    const rows: Record<string, unknown>[] = [];
    const filter = odata`PartitionKey eq ${escapeTableKey(runId)}`;
    for await (const e of this.checkRows.list(filter)) rows.push(e);
    return rows;
  }
}
