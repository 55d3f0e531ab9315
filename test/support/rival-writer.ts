import type { TableClient, TableEntity } from '@azure/data-tables';

/**
 * The same table, but before every conditional write of ours (create / update) a second, real client
 * writes the same row first, so each of our writes loses its race at Azurite (409 or 412), as it would
 * against a hot row. `rivalWrites` counts the writes that beat us.
 */
export function withRivalWriter(
  table: TableClient,
  rival: TableClient,
): { readonly table: TableClient; rivalWrites(): number } {
  let writes = 0;
  const beatTo = async (entity: TableEntity): Promise<void> => {
    writes++;
    await rival.upsertEntity(
      { partitionKey: entity.partitionKey, rowKey: entity.rowKey, rival: writes },
      'Merge',
    );
  };
  const contended = new Proxy(table, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if ((name !== 'createEntity' && name !== 'updateEntity') || typeof value !== 'function') return value;
      return async (entity: TableEntity, ...rest: unknown[]): Promise<unknown> => {
        await beatTo(entity);
        return (value as (...args: unknown[]) => Promise<unknown>).call(target, entity, ...rest);
      };
    },
  });
  return { table: contended, rivalWrites: () => writes };
}
