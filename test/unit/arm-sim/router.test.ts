import { Router } from '../../../local/arm-sim/router';

const handler = () => ({ status: 200 });

describe('Router', () => {
  const router = new Router().add(
    { method: 'GET', template: '/subscriptions/{sub}/resourceGroups/{rg}', operation: 'rg/read', handler },
    {
      method: 'GET',
      template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/galleries/{g}',
      operation: 'g/read',
      handler,
    },
  );

  it('matches templates case-insensitively and decodes parameters', () => {
    const m = router.match(
      'GET',
      '/SUBSCRIPTIONS/s1/resourcegroups/my%20rg/PROVIDERS/microsoft.compute/Galleries/G1/',
    );
    expect(m?.route.operation).toBe('g/read');
    expect(m?.params).toEqual({ sub: 's1', rg: 'my rg', g: 'G1' });
  });

  it('does not match another method or a longer path, but knows the path exists', () => {
    expect(router.match('PUT', '/subscriptions/s/resourceGroups/r')).toBeUndefined();
    expect(router.match('GET', '/subscriptions/s/resourceGroups/r/extra')).toBeUndefined();
    expect(router.hasPath('/subscriptions/s/resourceGroups/r')).toBe(true);
    expect(router.hasPath('/nothing')).toBe(false);
  });
});
