/** One ARM resource as the simulator stores it: the JSON ARM returns, plus bookkeeping. */
export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  tags?: Record<string, string>;
  properties: Record<string, unknown>;
  /** Extra top-level fields some types carry (e.g. NSG `etag`, disk `sku`). */
  extra?: Record<string, unknown>;
}

export interface StoredResource {
  readonly resource: ArmResource;
  /** 'scenario' for seeded resources, 'api' for ones created through ARM calls (orphan checks). */
  readonly origin: 'scenario' | 'api';
}

const key = (id: string): string => id.toLowerCase().replace(/\/+$/, '');

/** Resources keyed by id, case-insensitively as ARM does; the casing of the creating request is kept. */
export class ResourceStore {
  private readonly items = new Map<string, StoredResource>();

  get(id: string): ArmResource | undefined {
    return this.items.get(key(id))?.resource;
  }

  has(id: string): boolean {
    return this.items.has(key(id));
  }

  put(resource: ArmResource, origin: 'scenario' | 'api' = 'api'): ArmResource {
    const existing = this.items.get(key(resource.id));
    this.items.set(key(resource.id), { resource, origin: existing?.origin ?? origin });
    return resource;
  }

  /** Deletes the resource and everything nested under it. */
  delete(id: string): boolean {
    const k = key(id);
    const existed = this.items.delete(k);
    for (const other of [...this.items.keys()]) if (other.startsWith(`${k}/`)) this.items.delete(other);
    return existed;
  }

  /** Direct children of `parentId` whose id continues with `/<segment>/<name>`. */
  children(parentId: string, segment: string): ArmResource[] {
    const prefix = `${key(parentId)}/${segment.toLowerCase()}/`;
    return [...this.items.entries()]
      .filter(([k]) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/'))
      .map(([, v]) => v.resource);
  }

  all(): StoredResource[] {
    return [...this.items.values()];
  }

  clear(): void {
    this.items.clear();
  }
}
