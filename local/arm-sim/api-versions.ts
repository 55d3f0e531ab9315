import { ArmError } from './arm-error';

/**
 * The api-versions real ARM accepts per resource type, for the types the simulator serves. ARM refuses
 * any other with 400 and the supported list, so a client that sends a version Azure does not know
 * fails here as it would there.
 *
 * Sources (checked with the search tool; see README "Deploy to Azure"):
 * - Lists ARM itself returned in NoRegisteredProviderFound errors: galleries up to 2023-07-03
 *   (flatcar/mantle#520, 2024-04), virtualMachines up to 2020-06-01 (azure-docs PR 62621), Compute up to
 *   2024-03-01 (`az provider show`, azure-rest-api-specs#27695), networkInterfaces up to 2023-09-01
 *   (azure-cli#28496); ARM's own list for Microsoft.Resources (InvalidApiVersionParameter example in
 *   the Azure Ruby SDK's ms_rest_azure).
 * - Later versions: the stable folders of Azure/azure-rest-api-specs (Compute/stable/2024-07-01 ...
 *   2026-03-01 ComputeRP.json, GalleryRP 2024-03-03 and 2025-03-03, DiskRP 2025-01-02 and 2026-03-02,
 *   Network stable 2023-11-01 ... 2025-05-01).
 * - What our clients send: @azure/arm-compute 24.1 uses 2026-03-01 (VMs, Run Command, instance view,
 *   boot diagnostics), 2025-03-03 (galleries) and 2025-01-02 (disks); @azure/arm-network 36 uses
 *   2025-05-01.
 * Only a real subscription confirms a list: `az provider show -n Microsoft.Compute --query
 * "resourceTypes[?resourceType=='virtualMachines'].apiVersions"`.
 */
const VIRTUAL_MACHINES = [
  '2015-05-01-preview', '2015-06-15', '2016-03-30', '2016-04-30-preview', '2016-08-30', '2017-03-30',
  '2017-12-01', '2018-04-01', '2018-06-01', '2018-10-01', '2019-03-01', '2019-07-01', '2019-12-01',
  '2020-06-01', '2020-12-01', '2021-03-01', '2021-04-01', '2021-07-01', '2021-11-01', '2022-03-01',
  '2022-08-01', '2022-11-01', '2023-03-01', '2023-07-01', '2023-09-01', '2024-03-01', '2024-07-01',
  '2024-11-01', '2025-04-01', '2025-11-01', '2026-03-01',
]; // prettier-ignore

const GALLERIES = [
  '2018-06-01', '2019-03-01', '2019-07-01', '2019-12-01', '2020-09-30', '2021-03-01', '2021-07-01',
  '2021-10-01', '2022-01-03', '2022-03-03', '2022-08-03', '2023-07-03', '2024-03-03', '2025-03-03',
]; // prettier-ignore

const DISKS = [
  '2016-04-30-preview', '2017-03-30', '2018-04-01', '2018-06-01', '2018-09-30', '2019-03-01',
  '2019-07-01', '2019-11-01', '2020-05-01', '2020-06-30', '2020-09-30', '2020-12-01', '2021-04-01',
  '2021-08-01', '2021-12-01', '2022-03-02', '2022-07-02', '2023-01-02', '2023-04-02', '2023-10-02',
  '2024-03-02', '2025-01-02', '2026-03-02',
]; // prettier-ignore

const NETWORK = [
  '2014-12-01-preview', '2015-05-01-preview', '2015-06-15', '2016-03-30', '2016-06-01', '2016-07-01',
  '2016-08-01', '2016-09-01', '2016-10-01', '2016-11-01', '2016-12-01', '2017-03-01', '2017-04-01',
  '2017-06-01', '2017-08-01', '2017-09-01', '2017-10-01', '2017-11-01', '2018-01-01', '2018-02-01',
  '2018-03-01', '2018-04-01', '2018-05-01', '2018-06-01', '2018-07-01', '2018-08-01', '2018-10-01',
  '2018-11-01', '2018-12-01', '2019-02-01', '2019-04-01', '2019-06-01', '2019-07-01', '2019-08-01',
  '2019-09-01', '2019-11-01', '2019-12-01', '2020-01-01', '2020-03-01', '2020-04-01', '2020-05-01',
  '2020-06-01', '2020-07-01', '2020-08-01', '2020-11-01', '2021-01-01', '2021-02-01', '2021-03-01',
  '2021-04-01', '2021-05-01', '2021-06-01', '2021-08-01', '2021-12-01', '2022-01-01', '2022-05-01',
  '2022-07-01', '2022-09-01', '2022-11-01', '2023-02-01', '2023-04-01', '2023-05-01', '2023-06-01',
  '2023-09-01', '2023-11-01', '2024-01-01', '2024-03-01', '2024-05-01', '2024-07-01', '2024-10-01',
  '2025-01-01', '2025-03-01', '2025-05-01',
]; // prettier-ignore

/** ARM's own api-versions (Microsoft.Resources): resource groups and the generic resources list. */
const RESOURCE_MANAGER = [
  '2013-03-01', '2014-01-01', '2014-02-26', '2014-04-01', '2014-04-01-preview', '2015-01-01',
  '2015-11-01', '2016-02-01', '2016-06-01', '2016-07-01', '2016-09-01', '2017-03-01', '2017-05-01',
  '2017-05-10', '2017-06-01', '2017-08-01', '2017-12-01', '2018-01-01', '2018-02-01', '2018-05-01',
  '2018-06-01', '2018-07-01', '2018-08-01', '2018-09-01', '2018-11-01', '2019-03-01', '2019-05-01',
  '2019-05-10', '2019-06-01', '2019-07-01', '2019-08-01', '2019-09-01', '2019-10-01', '2019-11-01',
  '2020-01-01', '2020-06-01', '2020-08-01', '2020-10-01', '2021-01-01', '2021-04-01', '2022-09-01',
  '2023-07-01', '2024-03-01', '2024-07-01', '2024-11-01', '2025-01-01', '2025-03-01', '2025-04-01',
]; // prettier-ignore

const COMPUTE_OPERATIONS = [...new Set([...VIRTUAL_MACHINES, ...GALLERIES, ...DISKS])].sort();

/** Resource type (namespace/type[/child...], lower-cased) → the api-versions ARM accepts for it. */
const SUPPORTED: Readonly<Record<string, readonly string[]>> = {
  'microsoft.compute/virtualmachines': VIRTUAL_MACHINES,
  'microsoft.compute/galleries': GALLERIES,
  'microsoft.compute/galleries/images': GALLERIES,
  'microsoft.compute/galleries/images/versions': GALLERIES,
  'microsoft.compute/disks': DISKS,
  'microsoft.compute/locations/operations': COMPUTE_OPERATIONS,
  'microsoft.compute/locations/capsoperations': COMPUTE_OPERATIONS,
  'microsoft.compute/locations/diskoperations': COMPUTE_OPERATIONS,
  'microsoft.network/networkinterfaces': NETWORK,
  'microsoft.network/virtualnetworks': NETWORK,
  'microsoft.network/virtualnetworks/subnets': NETWORK,
  'microsoft.network/networksecuritygroups': NETWORK,
  'microsoft.network/locations/operations': NETWORK,
  'microsoft.resources/resourcegroups': RESOURCE_MANAGER,
  'microsoft.resources/resources': RESOURCE_MANAGER,
};

/** Segments after a resource name that are actions on it, not child resource types. */
const ACTIONS = new Set(['runcommand', 'instanceview', 'retrievebootdiagnosticsdata', 'share']);

/**
 * The resource type a route template addresses, as ARM resolves it: the provider namespace followed
 * by every type segment (the literals between names), actions dropped; routes outside a provider are
 * ARM's own (Microsoft.Resources).
 */
export function resourceTypeOf(template: string): string {
  const segments = template.split('/').filter((s) => s.length > 0);
  const at = segments.findIndex((s) => s.toLowerCase() === 'providers');
  if (at < 0) {
    const last = segments.filter((s) => !s.startsWith('{')).pop() ?? '';
    return `Microsoft.Resources/${last.toLowerCase() === 'resourcegroups' ? 'resourceGroups' : last}`;
  }
  const [namespace = '', ...rest] = segments.slice(at + 1);
  const types = rest.filter((s, i) => i % 2 === 0 && !ACTIONS.has(s.toLowerCase()));
  return [namespace, ...types].join('/');
}

const WELL_FORMED = /^\d{4}-\d{2}-\d{2}(-(preview|alpha|beta|privatepreview))?$/i;

export function supportedApiVersions(resourceType: string): readonly string[] | undefined {
  return SUPPORTED[resourceType.toLowerCase()];
}

/**
 * Throws ARM's answer to an api-version the resource type does not support: InvalidApiVersionParameter
 * for a malformed version or one of ARM's own types, NoRegisteredProviderFound (with the supported
 * versions and locations) for a provider's type, both 400.
 */
export function checkApiVersion(
  resourceType: string,
  apiVersion: string,
  locations: readonly string[],
): void {
  const supported = supportedApiVersions(resourceType);
  if (supported === undefined || supported.includes(apiVersion)) return;
  const shortType = resourceType.split('/').slice(1).join('/');
  if (!WELL_FORMED.test(apiVersion) || resourceType.toLowerCase().startsWith('microsoft.resources/')) {
    const own = supportedApiVersions('Microsoft.Resources/resourceGroups') ?? [];
    const list = resourceType.toLowerCase().startsWith('microsoft.resources/') ? supported : own;
    throw new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${apiVersion}' is invalid. The supported versions are '${[...list].reverse().join(',')}'.`,
    );
  }
  throw new ArmError(
    400,
    'NoRegisteredProviderFound',
    `No registered resource provider found for location '${locations[0] ?? 'eastus'}' and API version '${apiVersion}' for type '${shortType}'. The supported api-versions are '${supported.join(', ')}'. The supported locations are '${locations.join(', ')}'.`,
  );
}
