/**
 * Every VM the simulator created (a PUT that made a new VM, answered 201), with the gallery image
 * version it was created from: what Azure's Activity Log would show as "Create or Update Virtual
 * Machine" plus the VM's imageReference. Benchmarks and tests count VM sets per version from it,
 * instead of trusting the app's own counters. Kept after the VM is deleted; cleared by reset.
 */
export interface VmCreation {
  readonly vmId: string;
  readonly name: string;
  /** The version resolved from storageProfile.imageReference (an exact version, or latest). */
  readonly imageVersionId: string;
  readonly location: string;
  /** Wall-clock ms of the create. */
  readonly createdAt: number;
}

export class VmCreations {
  private readonly entries: VmCreation[] = [];

  record(creation: VmCreation): void {
    this.entries.push(creation);
  }

  list(): readonly VmCreation[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries.length = 0;
  }
}
