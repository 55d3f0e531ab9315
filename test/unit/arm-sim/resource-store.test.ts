import { ResourceStore } from '../../../local/arm-sim/resource-store';

const res = (id: string, type = 't') => ({ id, name: id.split('/').pop()!, type, properties: {} });

describe('ResourceStore', () => {
  it('finds resources case-insensitively and keeps the casing they were created with', () => {
    const store = new ResourceStore();
    store.put(res('/subscriptions/S/resourceGroups/RG/providers/P/things/Alpha'));
    expect(store.get('/SUBSCRIPTIONS/s/RESOURCEGROUPS/rg/providers/p/things/alpha/')?.id).toBe(
      '/subscriptions/S/resourceGroups/RG/providers/P/things/Alpha',
    );
  });

  it('lists direct children only and deletes a resource with everything nested under it', () => {
    const store = new ResourceStore();
    const g = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g';
    store.put(res(g), 'scenario');
    store.put(res(`${g}/images/a`));
    store.put(res(`${g}/images/a/versions/1.0.0`));
    store.put(res(`${g}/images/b`));
    expect(store.children(g, 'IMAGES').map((r) => r.name)).toEqual(['a', 'b']);
    expect(store.delete(`${g}/images/a`)).toBe(true);
    expect(store.all().map((s) => s.resource.id)).toEqual([g, `${g}/images/b`]);
  });

  it('keeps the origin of the first write so seeded resources stay seeded when updated', () => {
    const store = new ResourceStore();
    store.put(res('/a'), 'scenario');
    store.put(res('/a'), 'api');
    expect(store.all()[0]?.origin).toBe('scenario');
  });
});
