import type { TableClient } from '@azure/data-tables';
import { odata } from '../azure/odata';
import { statusOf } from '../azure/rest-errors';
import { escapeTableKey } from '../azure/table-key';
import { TableStore } from '../azure/table-store';
import { listReleaseRows, type ActionRow, type ReleaseRow } from './remediation-ledger';

/** A table nobody has written yet holds no history (the query answers 404). */
async function orNone<T>(read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch (error) {
    if (statusOf(error) === 404) return [];
    throw error;
  }
}

/** The remediation actions one run took on its version (action rows of table `remediations`). */
export function listRunActions(table: TableClient, versionKey: string, runId: string): Promise<ActionRow[]> {
  return orNone(async () => {
    const rows: ActionRow[] = [];
    const filter = odata`PartitionKey eq ${escapeTableKey(versionKey)} and runId eq ${runId} and action ne ''`;
    for await (const entity of new TableStore<ActionRow>(table).list(filter)) rows.push(entity);
    return rows.sort((a, b) => a.at.localeCompare(b.at));
  });
}

/** Who released, re-validated or re-drove a version, and why. */
export function listOperatorRequests(table: TableClient, versionKey: string): Promise<ReleaseRow[]> {
  return orNone(async () =>
    (await listReleaseRows(table, versionKey)).sort((a, b) => a.at.localeCompare(b.at)),
  );
}
