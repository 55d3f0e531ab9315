import { checkApiVersion, resourceTypeOf, supportedApiVersions } from '../../../local/arm-sim/api-versions';
import { asyncOperationRoutes } from '../../../local/arm-sim/providers/async-operations';
import { galleryProviderRoutes } from '../../../local/arm-sim/providers/gallery-provider';
import { networkRoutes } from '../../../local/arm-sim/providers/network';
import { resourceGroupRoutes } from '../../../local/arm-sim/providers/resource-groups';
import { virtualMachineRoutes } from '../../../local/arm-sim/providers/virtual-machines';
import { vmActionRoutes } from '../../../local/arm-sim/providers/vm-actions';

const ROUTES = [
  ...resourceGroupRoutes,
  ...asyncOperationRoutes,
  ...galleryProviderRoutes,
  ...virtualMachineRoutes,
  ...vmActionRoutes,
  ...networkRoutes,
];

describe('api-versions per resource type', () => {
  it('knows the supported versions of every resource type the simulator serves', () => {
    const unknown = ROUTES.map((r) => resourceTypeOf(r.template)).filter((t) => supportedApiVersions(t) === undefined);
    expect(unknown).toEqual([]);
  }); // prettier-ignore

  it('resolves types as ARM does: nested types joined, actions dropped', () => {
    expect(resourceTypeOf('/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/galleries/{g}/images/{i}/versions/{v}')).toBe(
      'Microsoft.Compute/galleries/images/versions',
    );
    expect(resourceTypeOf('/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{vm}/runCommand')).toBe(
      'Microsoft.Compute/virtualMachines',
    );
    expect(resourceTypeOf('/subscriptions/{s}/resourcegroups')).toBe('Microsoft.Resources/resourceGroups');
  }); // prettier-ignore

  it('accepts what @azure/arm-compute 24 and @azure/arm-network 36 send, and refuses the rest', () => {
    expect(() => checkApiVersion('Microsoft.Compute/virtualMachines', '2026-03-01', ['eastus'])).not.toThrow();
    expect(() => checkApiVersion('Microsoft.Compute/galleries/images/versions', '2025-03-03', ['eastus'])).not.toThrow();
    expect(() => checkApiVersion('Microsoft.Network/networkInterfaces', '2025-05-01', ['eastus'])).not.toThrow();
    expect(() => checkApiVersion('Microsoft.Compute/disks', '2025-01-02', ['eastus'])).not.toThrow();
    expect(() => checkApiVersion('Microsoft.Compute/galleries', '2026-03-01', ['eastus'])).toThrow(/NoRegisteredProviderFound|No registered resource provider/);
  }); // prettier-ignore
});
