import { resourceTypeOf } from './api-versions';
import type { FaultEffect } from './faults';
import type { SimState } from './sim-state';

export interface RequestContext {
  readonly sim: SimState;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly params: Readonly<Record<string, string>>;
  /** An injected fault that acts on the long-running operation this request starts, if any. */
  readonly fault?: FaultEffect;
  /** Records a linked-access authorisation (e.g. subnets/join/action) made while serving the request. */
  linked(operation: string): void;
}

export interface HandlerResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Route {
  readonly method: string;
  /** ARM path template, e.g. /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}. */
  readonly template: string;
  /** RBAC operation name the request is authorised and counted as. */
  readonly operation: string;
  readonly handler: (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;
}

interface CompiledRoute extends Route {
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly resourceType: string;
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
  /** ARM resource type of the path (decides which api-versions are accepted). */
  readonly resourceType: string;
}

/** Matches ARM paths case-insensitively (as ARM does) against route templates. */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(...routes: Route[]): this {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.template
        .split('/')
        .map((segment) => {
          const m = /^\{(\w+)\}$/.exec(segment);
          if (m) {
            names.push(m[1]!);
            return '([^/]+)';
          }
          return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/');
      this.routes.push({
        ...route,
        pattern: new RegExp(`^${source}/?$`, 'i'),
        names,
        resourceType: resourceTypeOf(route.template),
      });
    }
    return this;
  }

  match(method: string, path: string): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      return { route, params, resourceType: route.resourceType };
    }
    return undefined;
  }

  /** True when some route serves this path with another method (→ 405 rather than 404). */
  hasPath(path: string): boolean {
    return this.routes.some((r) => r.pattern.test(path));
  }
}
