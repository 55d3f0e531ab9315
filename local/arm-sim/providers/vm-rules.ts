import { ArmError, badRequest, invalidParameter } from '../arm-error';
import type { ArmResource } from '../resource-store';
import type { SimState } from '../sim-state';
import { VM_SIZES, type VmSize } from '../sizes';
import { isObject, normaliseRegion, str, type Json } from './common';
import { isReplicatedTo } from './gallery-image-versions';

const IMAGE_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/galleries\/([^/]+)\/images\/([^/]+)(?:\/versions\/([^/]+))?$/i;

export interface ResolvedImage {
  readonly image: ArmResource;
  readonly version: ArmResource;
}

const galleryImageNotFound = (id: string, location: string): ArmError =>
  new ArmError(
    404,
    'GalleryImageNotFound',
    `The gallery image ${id} is not available in ${location} region. Please contact image owner to replicate to this region, or change your requested region.`,
  );

const semverKey = (name: string): number[] => name.split('.').map((n) => Number(n));
const compareSemver = (a: string, b: string): number => {
  const [x, y] = [semverKey(a), semverKey(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};

/**
 * The regional flag (targetRegions[].excludeFromLatest) wins over the version-wide one when both are
 * set: "the regional flag will take precedence when both are specified"
 * (learn.microsoft.com/azure/virtual-machines/azure-compute-gallery#best-practices).
 */
const excludedInRegion = (version: ArmResource, location: string): boolean => {
  const pp = (version.properties.publishingProfile ?? {}) as Json;
  const regions = Array.isArray(pp.targetRegions) ? (pp.targetRegions as Json[]) : [];
  const region = regions.find((r) => normaliseRegion(String(r.name)) === location);
  const regional = region?.excludeFromLatest;
  return typeof regional === 'boolean' ? regional : pp.excludeFromLatest === true;
};

/**
 * Resolves `storageProfile.imageReference.id`: a version id, or an image definition id meaning
 * "latest" — the highest version not excluded from latest (version-level or in this region) and
 * replicated to the region, as ARM resolves it.
 */
export function resolveGalleryImage(sim: SimState, imageReference: unknown, location: string): ResolvedImage {
  const id =
    isObject(imageReference) && typeof imageReference.id === 'string' ? imageReference.id : undefined;
  if (id === undefined) {
    throw invalidParameter(
      'The simulator creates VMs from Azure Compute Gallery images only: set storageProfile.imageReference.id.',
      'imageReference',
    );
  }
  const m = IMAGE_ID.exec(id);
  if (!m)
    throw invalidParameter(
      `The value '${id}' of parameter 'imageReference.id' is invalid.`,
      'imageReference.id',
    );
  const imageId = id.replace(/\/versions\/[^/]+$/i, '');
  const image = sim.store.get(imageId);
  if (!image) throw galleryImageNotFound(id, location);
  if (m[5] !== undefined) {
    const version = sim.store.get(id);
    if (!version || !isReplicatedTo(sim, version.id, location)) throw galleryImageNotFound(id, location);
    return { image, version };
  }
  const candidates = sim.store
    .children(image.id, 'versions')
    .filter((v) => !excludedInRegion(v, location) && isReplicatedTo(sim, v.id, location))
    .sort((a, b) => compareSemver(b.name, a.name));
  const latest = candidates[0];
  if (!latest) {
    throw new ArmError(404, 'GalleryImageNotFound', `There is no latest image version exists for "${id}"`);
  }
  return { image, version: latest };
}

export function resolveSize(sim: SimState, hardwareProfile: unknown, location: string): VmSize {
  const name =
    isObject(hardwareProfile) && typeof hardwareProfile.vmSize === 'string'
      ? hardwareProfile.vmSize
      : undefined;
  if (name === undefined)
    throw invalidParameter(
      "Required parameter 'hardwareProfile.vmSize' is missing (null).",
      'hardwareProfile.vmSize',
    );
  const size = Object.values(VM_SIZES).find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (!size) {
    throw invalidParameter(
      `The value ${name} provided for the VM size is not valid. The valid sizes in the current region are: ${(sim.settings.regionSizes[location] ?? []).join(',')}. Find out more on the valid VM sizes in each region at https://aka.ms/azure-regions.`,
      'vmSize',
    );
  }
  if (!(sim.settings.regionSizes[location] ?? []).includes(size.name)) {
    throw new ArmError(
      409,
      'SkuNotAvailable',
      `The requested VM size for resource 'Following SKUs have failed for Capacity Restrictions: ${size.name}' is currently not available in location '${location}'. Please try another size or deploy to a different location or different zone. See https://aka.ms/azureskunotavailable for details.`,
    );
  }
  return size;
}

const imageSecurityType = (image: ArmResource): string => {
  const features = Array.isArray(image.properties.features) ? (image.properties.features as Json[]) : [];
  const feature = features.find((f) => String(f.name).toLowerCase() === 'securitytype');
  return typeof feature?.value === 'string' ? feature.value : 'Standard';
};

/**
 * Per requested VM security type: whether a size offers it, and the image security types that can boot
 * it. Both types are checked the same way (size first, then image), so the rule is data, not a branch.
 */
const SECURITY_TYPES: Record<
  'TrustedLaunch' | 'ConfidentialVM',
  { sizeSupports: (size: VmSize) => boolean; imageTypes: readonly string[] }
> = {
  TrustedLaunch: {
    sizeSupports: (size) => size.trustedLaunch,
    imageTypes: ['TrustedLaunch', 'TrustedLaunchSupported', 'TrustedLaunchAndConfidentialVMSupported'],
  },
  ConfidentialVM: {
    sizeSupports: (size) => size.confidentialVm,
    imageTypes: ['ConfidentialVM', 'ConfidentialVMSupported', 'TrustedLaunchAndConfidentialVMSupported'],
  },
};

/** First Compute api-version with Trusted Launch as default and 'Standard' as a securityType value. */
export const TRUSTED_LAUNCH_DEFAULT_API_VERSION = '2025-11-01';

/**
 * The security type a VM create gets. From api-version 2025-11-01 Compute accepts and returns
 * 'Standard' as a value (SecurityTypes, azure-mgmt-compute reference) and, with Trusted Launch as
 * default (generally available August 2026, for every client), a Gen2 VM whose request names no
 * securityType is created as TrustedLaunch. Before that version an unnamed type is Standard, and
 * naming 'Standard' is refused unless the subscription has the UseStandardSecurityType feature
 * (azure-cli issue on the --security-type default).
 */
export function effectiveSecurityType(properties: Json, generation: 'V1' | 'V2', apiVersion: string): string {
  const securityProfile = isObject(properties.securityProfile) ? properties.securityProfile : {};
  const named = typeof securityProfile.securityType === 'string' ? securityProfile.securityType : undefined;
  const current = apiVersion >= TRUSTED_LAUNCH_DEFAULT_API_VERSION;
  if (named === 'Standard' && !current) {
    throw invalidParameter(
      "The value 'Standard' of parameter 'securityProfile.securityType' is invalid.",
      'securityProfile.securityType',
    );
  }
  if (named !== undefined) return named;
  return current && generation === 'V2' ? 'TrustedLaunch' : 'Standard';
}

/**
 * The create rules ARM applies to a VM from a gallery image, with ARM's error codes. Returns the
 * security type the VM gets (named, or the api-version's default).
 */
export function checkCreateRules(input: {
  readonly body: Json;
  readonly properties: Json;
  readonly image: ArmResource;
  readonly size: VmSize;
  readonly location: string;
  readonly apiVersion: string;
}): string {
  const { properties, image, size } = input;
  const osType = String(image.properties.osType);
  const osState = String(image.properties.osState);
  const osProfile = properties.osProfile;

  if (osState === 'Specialized' && osProfile !== undefined && osProfile !== null) {
    throw invalidParameter("Parameter 'osProfile' is not allowed.", 'osProfile');
  }
  if (osState === 'Generalized') {
    if (!isObject(osProfile))
      throw invalidParameter("Required parameter 'osProfile' is missing (null).", 'osProfile');
    if (typeof osProfile.computerName !== 'string' || osProfile.computerName.length === 0) {
      throw invalidParameter(
        "Required parameter 'osProfile.computerName' is missing (null).",
        'osProfile.computerName',
      );
    }
    if (typeof osProfile.adminUsername !== 'string' || osProfile.adminUsername.length === 0) {
      throw invalidParameter("Required parameter 'adminUsername' is missing (null).", 'adminUsername');
    }
    if (osType === 'Windows') {
      if (
        osProfile.computerName.length > 15 ||
        /^\d+$/.test(osProfile.computerName) ||
        /[`~!@#$%^&*()=+_[\]{}\\|;:.'",<>/?]/.test(osProfile.computerName)
      ) {
        throw invalidParameter(
          'Windows computer name cannot be more than 15 characters long, be entirely numeric, or contain the following characters: ` ~ ! @ # $ % ^ & * ( ) = + _ [ ] { } \\ | ; : . \' " , < > / ?.',
          'windowsConfiguration',
        );
      }
      if (typeof osProfile.adminPassword !== 'string')
        throw invalidParameter("Required parameter 'adminPassword' is missing (null).", 'adminPassword');
    } else {
      const linux = isObject(osProfile.linuxConfiguration) ? osProfile.linuxConfiguration : {};
      const ssh = isObject(linux.ssh) ? linux.ssh : {};
      const keys = Array.isArray(ssh.publicKeys) ? ssh.publicKeys : [];
      if (typeof osProfile.adminPassword !== 'string' && keys.length === 0) {
        throw invalidParameter("Required parameter 'adminPassword' is missing (null).", 'adminPassword');
      }
      if (linux.disablePasswordAuthentication === true && keys.length === 0) {
        throw invalidParameter(
          "Required parameter 'linuxConfiguration.ssh.publicKeys' is missing when disablePasswordAuthentication is true.",
          'linuxConfiguration.ssh.publicKeys',
        );
      }
    }
  }

  const generation = str(image.properties.hyperVGeneration, 'V1') as 'V1' | 'V2';
  if (!size.hyperVGenerations.includes(generation)) {
    const n = generation.slice(1);
    throw badRequest(
      `The selected VM size '${size.name}' cannot boot Hypervisor Generation '${n}'. If this was a Create operation please check that the Hypervisor Generation of the Image matches the Hypervisor Generation of the selected VM Size. If this was an Update operation please select a Hypervisor Generation '${n}' VM Size. For more information, see https://aka.ms/azuregen2vm`,
    );
  }
  const architecture = str(image.properties.architecture, 'x64');
  if (architecture.toLowerCase() !== size.architecture.toLowerCase()) {
    throw badRequest(
      `The selected VM size '${size.name}' cannot boot with the image architecture '${architecture}'. Please select a VM size that supports architecture '${architecture}'.`,
    );
  }

  const requested = effectiveSecurityType(properties, generation, input.apiVersion);
  const imageType = imageSecurityType(image);
  if (requested === 'TrustedLaunch' && generation !== 'V2')
    throw badRequest("Security type 'TrustedLaunch' requires a Hypervisor Generation 2 image.");
  const rule =
    requested === 'TrustedLaunch' || requested === 'ConfidentialVM' ? SECURITY_TYPES[requested] : undefined;
  if (rule) {
    if (!rule.sizeSupports(size)) {
      throw badRequest(
        `The VM size '${size.name}' is not supported for creation of VMs and Virtual Machine Scale Set with '${requested}' security type.`,
      );
    }
    if (!rule.imageTypes.includes(imageType)) {
      throw badRequest(
        `The VM security type '${requested}' is not compatible with the security type '${imageType}' of the gallery image ${image.id}.`,
      );
    }
  } else if (imageType === 'TrustedLaunch' || imageType === 'ConfidentialVM') {
    throw badRequest(
      `The gallery image ${image.id} has security type '${imageType}' and can only be used to create VMs with securityProfile.securityType '${imageType}'.`,
    );
  }
  return requested;
}

export function checkQuota(sim: SimState, location: string, size: VmSize): void {
  const used = [...sim.vms.values()]
    // A failed allocation holds no cores.
    .filter((vm) => vm.location === location && vm.failure?.code !== 'AllocationFailed')
    .reduce((sum, vm) => sum + vm.vCPUs, 0);
  const limit = sim.settings.vcpuQuotaPerRegion;
  if (used + size.vCPUs > limit) {
    throw new ArmError(
      409,
      'OperationNotAllowed',
      `Operation could not be completed as it results in exceeding approved Total Regional Cores quota. Additional details - Deployment Model: Resource Manager, Location: ${location}, Current Limit: ${limit}, Current Usage: ${used}, Additional Required: ${size.vCPUs}, (Minimum) New Limit Required: ${used + size.vCPUs}. Submit a request for Quota increase at https://aka.ms/ProdportalCRP/#blade/Microsoft_Azure_Capacity/UsageAndQuota.ReactView/Parameters/ by specifying parameters listed in the 'Details' section for deployment to succeed. Please read more about quota limits at https://docs.microsoft.com/en-us/azure/azure-supportability/regional-quota-requests`,
    );
  }
}
