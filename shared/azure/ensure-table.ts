import type { TableClient } from '@azure/data-tables';

const ensured = new WeakMap<TableClient, Promise<void>>();

/**
 * Creates the client's table once per process (createTable is a no-op when it exists). Concurrent
 * callers share one request; a failure is forgotten so the next call tries again.
 */
export function ensureTable(table: TableClient): Promise<void> {
  let pending = ensured.get(table);
  if (pending === undefined) {
    pending = table.createTable().then(
      () => undefined,
      (error: unknown) => {
        ensured.delete(table);
        throw error;
      },
    );
    ensured.set(table, pending);
  }
  return pending;
}

export async function ensureTables(...tables: readonly TableClient[]): Promise<void> {
  await Promise.all(tables.map(ensureTable));
}
