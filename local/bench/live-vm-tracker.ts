import type { ArmSimulator } from '../arm-sim';

/**
 * Counts validation VMs that exist in the simulator at every change (create and delete as ARM
 * stores them), so the peak is exact rather than sampled.
 */
export function trackLiveVms(sim: ArmSimulator): { peak(): number; live(): number } {
  const store = sim.sim.store;
  const live = new Set<string>();
  let peak = 0;
  const isVm = (id: string): boolean => /\/providers\/Microsoft\.Compute\/virtualMachines\/[^/]+$/i.test(id);
  const put = store.put.bind(store);
  const remove = store.delete.bind(store);
  store.put = (resource, origin) => {
    if (isVm(resource.id)) {
      live.add(resource.id.toLowerCase());
      peak = Math.max(peak, live.size);
    }
    return put(resource, origin);
  };
  store.delete = (id) => {
    if (isVm(id)) live.delete(id.toLowerCase());
    return remove(id);
  };
  return { peak: () => peak, live: () => live.size };
}
