import { randomBytes, randomUUID } from 'node:crypto';
import { ArmError, notFound } from '../arm-error';
import type { ArmResource } from '../resource-store';
import type { RequestContext, Route } from '../router';
import {
  bodyOf,
  clone,
  isObject,
  list,
  ok,
  propertiesOf,
  requireLocation,
  requireResourceGroup,
  scopeOf,
  tagsOf,
  view,
  type Json,
} from './common';
import { diskRoutes } from './disks';
import { accepted, runResourceLro, type LroHome } from './resource-lro';
import { changedOsProfileProperty } from './os-profile-change';
import { instanceView } from './vm-actions';
import { createRuntime, startLifecycle } from './vm-lifecycle';
import { checkCreateRules, checkQuota, resolveGalleryImage, resolveSize } from './vm-rules';

const VMS =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachines';
const VM_TYPE = 'Microsoft.Compute/virtualMachines';
const DISK_TYPE = 'Microsoft.Compute/disks';
const DELETE_SECONDS = 30;
const VM_LRO: LroHome = { provider: 'Microsoft.Compute', collection: 'operations' };

export const vmIdOf = (ctx: RequestContext): string =>
  `/subscriptions/${ctx.params.subscriptionId!}/resourceGroups/${ctx.params.resourceGroupName!}/providers/Microsoft.Compute/virtualMachines/${ctx.params.vmName!}`;

export function needVm(ctx: RequestContext): ArmResource {
  const vm = ctx.sim.store.get(vmIdOf(ctx));
  if (!vm) throw notFound(VM_TYPE, ctx.params.vmName!, ctx.params.resourceGroupName!);
  return vm;
}

/** The VM as ARM returns it; never echoes adminPassword or customData. */
function vmView(ctx: RequestContext, vm: ArmResource): Json {
  const out = view(vm);
  const properties = clone(vm.properties);
  if (isObject(properties.osProfile)) {
    delete properties.osProfile.adminPassword;
    delete properties.osProfile.customData;
  }
  if ((ctx.query.get('$expand') ?? '').toLowerCase() === 'instanceview')
    properties.instanceView = instanceView(ctx, vm);
  out.properties = properties;
  return out;
}

interface NicRef {
  id: string;
  properties?: { primary?: boolean; deleteOption?: string };
}

function nicRefs(ctx: RequestContext, properties: Json, vmId: string, location: string): NicRef[] {
  const networkProfile = isObject(properties.networkProfile) ? properties.networkProfile : {};
  const refs = Array.isArray(networkProfile.networkInterfaces)
    ? networkProfile.networkInterfaces.filter(isObject)
    : [];
  if (refs.length === 0) {
    throw new ArmError(400, 'InvalidParameter', "Required parameter 'networkProfile' is missing (null).", {
      target: 'networkProfile',
    });
  }
  return refs.map((ref) => {
    const id = typeof ref.id === 'string' ? ref.id : '';
    const nic = ctx.sim.store.get(id);
    if (!nic) throw new ArmError(404, 'NotFound', `Resource ${id} not found.`);
    if (nic.location !== location) {
      throw new ArmError(
        400,
        'InvalidParameter',
        `Network interface '${nic.id}' is in location '${nic.location ?? ''}' but the virtual machine is in location '${location}'.`,
        { target: 'networkProfile.networkInterfaces' },
      );
    }
    const owner = nic.properties.virtualMachine;
    if (isObject(owner) && typeof owner.id === 'string' && owner.id.toLowerCase() !== vmId.toLowerCase()) {
      throw new ArmError(
        400,
        'NicInUse',
        `Network Interface ${nic.id} is used by existing resource ${owner.id}.`,
      );
    }
    ctx.linked('Microsoft.Network/networkInterfaces/join/action');
    const p = isObject(ref.properties) ? ref.properties : {};
    return {
      id: nic.id,
      properties: {
        primary: p.primary !== false,
        deleteOption: typeof p.deleteOption === 'string' ? p.deleteOption : 'Detach',
      },
    };
  });
}

const vmRoutes: Route[] = [
  {
    method: 'PUT',
    template: `${VMS}/{vmName}`,
    operation: `${VM_TYPE}/write`,
    handler: async (ctx) => {
      requireResourceGroup(ctx);
      const body = bodyOf(ctx);
      const id = vmIdOf(ctx);
      const existing = ctx.sim.store.get(id);
      if (existing) {
        // Updates are limited to tags: the simulator never re-provisions a VM. osProfile is fixed at
        // creation, as in Azure (see os-profile-change.ts).
        const changed = changedOsProfileProperty(existing.properties.osProfile, propertiesOf(body).osProfile);
        if (changed !== undefined) {
          throw new ArmError(
            409,
            'PropertyChangeNotAllowed',
            `Changing property '${changed}' is not allowed.`,
            {
              target: changed,
            },
          );
        }
        const tags = tagsOf(body);
        if (tags !== undefined) existing.tags = tags;
        return ok(vmView(ctx, existing));
      }
      const location = requireLocation(body);
      const properties = propertiesOf(body);
      const size = resolveSize(ctx.sim, properties.hardwareProfile, location);
      const storageProfile = isObject(properties.storageProfile) ? properties.storageProfile : {};
      const resolved = resolveGalleryImage(ctx.sim, storageProfile.imageReference, location);
      ctx.linked('Microsoft.Compute/galleries/images/versions/read');
      // The implicit managed OS disk is created on the caller's behalf.
      ctx.linked('Microsoft.Compute/disks/write');
      const securityType = checkCreateRules({
        body,
        properties,
        image: resolved.image,
        size,
        location,
        apiVersion: ctx.query.get('api-version') ?? '',
      });
      const nics = nicRefs(ctx, properties, id, location);
      checkQuota(ctx.sim, location, size);

      const osDiskIn = isObject(storageProfile.osDisk) ? storageProfile.osDisk : {};
      const diskName =
        typeof osDiskIn.name === 'string'
          ? osDiskIn.name
          : `${ctx.params.vmName!}_OsDisk_1_${randomBytes(16).toString('hex')}`;
      const diskId = `${requireResourceGroup(ctx)}/providers/Microsoft.Compute/disks/${diskName}`;
      const managedDisk = isObject(osDiskIn.managedDisk) ? osDiskIn.managedDisk : {};
      const storageAccountType =
        typeof managedDisk.storageAccountType === 'string' ? managedDisk.storageAccountType : 'Premium_LRS';
      const osType = String(resolved.image.properties.osType);
      const vm: ArmResource = {
        id,
        name: ctx.params.vmName!,
        type: VM_TYPE,
        location,
        tags: tagsOf(body) ?? {},
        properties: {
          ...properties,
          vmId: randomUUID(),
          hardwareProfile: { vmSize: size.name },
          storageProfile: {
            imageReference: {
              id: (storageProfile.imageReference as Json).id,
              exactVersion: resolved.version.name,
            },
            osDisk: {
              osType,
              name: diskName,
              createOption: 'FromImage',
              caching: typeof osDiskIn.caching === 'string' ? osDiskIn.caching : 'ReadWrite',
              managedDisk: { storageAccountType, id: diskId },
              deleteOption: typeof osDiskIn.deleteOption === 'string' ? osDiskIn.deleteOption : 'Detach',
              diskSizeGB: 30,
            },
            dataDisks: [],
          },
          networkProfile: { networkInterfaces: nics },
          // What the VM was created as, named or defaulted (returned as 'Standard' from 2025-11-01).
          securityProfile: {
            ...(isObject(properties.securityProfile) ? properties.securityProfile : {}),
            securityType,
          },
          ...(isObject(properties.osProfile)
            ? {
                osProfile: {
                  allowExtensionOperations: true,
                  requireGuestProvisionSignal: true,
                  secrets: [],
                  ...properties.osProfile,
                },
              }
            : {}),
          provisioningState: 'Creating',
          timeCreated: ctx.sim.clock.wallIso(),
        },
      };
      // Guest identity (host keys) is generated asynchronously; re-check what a concurrent request may
      // have changed before anything becomes visible, so quota and names stay exact.
      const runtime = await createRuntime(ctx.sim, vm, resolved, size);
      try {
        if (ctx.sim.store.has(id))
          throw new ArmError(
            409,
            'Conflict',
            `Virtual machine '${vm.name}' is being created by another request.`,
          );
        checkQuota(ctx.sim, location, size);
      } catch (error) {
        await runtime.linux?.dispose();
        throw error;
      }
      ctx.sim.store.put(vm);
      ctx.sim.vms.set(id.toLowerCase(), runtime);
      ctx.sim.vmCreations.record({
        vmId: id,
        name: vm.name,
        imageVersionId: resolved.version.id,
        location,
        createdAt: Date.now(),
      });
      ctx.sim.store.put({
        id: diskId,
        name: diskName,
        type: DISK_TYPE,
        location,
        tags: {},
        properties: {
          osType,
          hyperVGeneration: resolved.image.properties.hyperVGeneration ?? 'V1',
          diskSizeGB: 30,
          diskState: 'Attached',
          provisioningState: 'Succeeded',
          creationData: { createOption: 'FromImage', galleryImageReference: { id: resolved.version.id } },
        },
        extra: { managedBy: id, sku: { name: storageAccountType } },
      });
      for (const ref of nics) {
        const nic = ctx.sim.store.get(ref.id);
        if (nic) nic.properties.virtualMachine = { id };
      }
      const op = ctx.sim.lro.create(scopeOf(ctx, 'Microsoft.Compute', 'operations', location, id));
      startLifecycle(ctx.sim, vm, runtime, op, ctx.fault);
      return {
        status: 201,
        body: vmView(ctx, vm),
        headers: ctx.sim.lro.headers(op, ctx.sim.endpoint, false),
      };
    },
  },
  {
    method: 'GET',
    template: `${VMS}/{vmName}`,
    operation: `${VM_TYPE}/read`,
    handler: (ctx) => ok(vmView(ctx, needVm(ctx))),
  },
  {
    method: 'GET',
    template: VMS,
    operation: `${VM_TYPE}/read`,
    handler: (ctx) => {
      const rg = requireResourceGroup(ctx);
      return list(
        ctx.sim.store
          .children(`${rg}/providers/Microsoft.Compute`, 'virtualMachines')
          .map((vm) => vmView(ctx, vm)),
      );
    },
  },
  {
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/providers/Microsoft.Compute/virtualMachines',
    operation: `${VM_TYPE}/read`,
    handler: (ctx) =>
      list(
        ctx.sim.store
          .all()
          .map((s) => s.resource)
          .filter(
            (r) =>
              r.type === VM_TYPE &&
              r.id.toLowerCase().startsWith(`/subscriptions/${ctx.params.subscriptionId!.toLowerCase()}/`),
          )
          .map((vm) => vmView(ctx, vm)),
      ),
  },
  {
    method: 'DELETE',
    template: `${VMS}/{vmName}`,
    operation: `${VM_TYPE}/delete`,
    handler: (ctx) => {
      const vm = ctx.sim.store.get(vmIdOf(ctx));
      if (!vm) return { status: 204 };
      // Cascading deletes (deleteOption: Delete) are authorised against the caller too.
      const profile = vm.properties as {
        storageProfile: { osDisk: { deleteOption: string } };
        networkProfile: { networkInterfaces: NicRef[] };
      };
      if (profile.storageProfile.osDisk.deleteOption === 'Delete')
        ctx.linked('Microsoft.Compute/disks/delete');
      for (const ref of profile.networkProfile.networkInterfaces) {
        if (ref.properties?.deleteOption === 'Delete')
          ctx.linked('Microsoft.Network/networkInterfaces/delete');
      }
      vm.properties.provisioningState = 'Deleting';
      const seconds = ctx.query.get('forceDeletion') === 'true' ? DELETE_SECONDS / 3 : DELETE_SECONDS;
      const op = runResourceLro(ctx, VM_LRO, vm, seconds, () => removeVm(ctx, vm), true);
      return accepted(ctx, op);
    },
  },
];

/** Removes the VM, and its OS disk and NICs when their deleteOption says Delete (else detaches them). */
function removeVm(ctx: RequestContext, vm: ArmResource): void {
  const storage = vm.properties.storageProfile as {
    osDisk: { deleteOption: string; managedDisk: { id: string } };
  };
  const disk = ctx.sim.store.get(storage.osDisk.managedDisk.id);
  if (disk) {
    if (storage.osDisk.deleteOption === 'Delete') ctx.sim.store.delete(disk.id);
    else {
      disk.properties.diskState = 'Unattached';
      delete disk.extra?.managedBy;
    }
  }
  for (const ref of (vm.properties.networkProfile as { networkInterfaces: NicRef[] }).networkInterfaces) {
    const nic = ctx.sim.store.get(ref.id);
    if (!nic) continue;
    if (ref.properties?.deleteOption === 'Delete') ctx.sim.store.delete(nic.id);
    else delete nic.properties.virtualMachine;
  }
  const runtime = ctx.sim.vms.get(vm.id.toLowerCase());
  ctx.sim.vms.delete(vm.id.toLowerCase());
  ctx.sim.store.delete(vm.id);
  void runtime?.linux?.dispose();
}

export const virtualMachineRoutes: Route[] = [...vmRoutes, ...diskRoutes];
