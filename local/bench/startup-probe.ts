/**
 * Loads one Functions entry in this (fresh) process the way the Functions worker does and prints
 * what that cost as one JSON line: `node startup-probe.js <entry.js>`.
 *
 * Like the worker (azure-functions-nodejs-worker src/setupCoreModule.ts), it serves the built-in
 * `@azure/functions-core` module by intercepting Module.prototype.require, so `app.*` really
 * registers: the probe records each registered function's name and trigger. Only Node built-ins are
 * loaded before the entry, so every module counted came from the entry.
 */
import Module from 'node:module';
import { resolve } from 'node:path';

export interface RegisteredFunction {
  readonly name: string;
  /** The trigger binding's type, e.g. httpTrigger, queueTrigger, timerTrigger. */
  readonly trigger: string;
}

export interface ProbeResult {
  /** Wall time of `require(entry)`, ms. */
  readonly loadMs: number;
  /** CPU time (user + system) spent in `require(entry)`, ms. */
  readonly cpuMs: number;
  /** Module files the entry loaded (the entry included), absolute paths. */
  readonly modules: readonly string[];
  /** Resident set size after the load, MiB. */
  readonly rssMiB: number;
  readonly functions: readonly RegisteredFunction[];
  /** Names the entry exports (none for the Functions entry; the classes for a lazy chunk). */
  readonly exports: readonly string[];
}

interface CoreFunctionMetadata {
  readonly name: string;
  readonly bindings: Readonly<Record<string, { readonly type: string; readonly direction: string }>>;
}

const disposable = { dispose: (): void => undefined };

function functionsCore(registered: RegisteredFunction[]): object {
  return {
    version: 'startup-probe',
    hostVersion: '4.0.0',
    setProgrammingModel: (): void => undefined,
    getProgrammingModel: (): undefined => undefined,
    registerHook: () => disposable,
    registerFunction: (metadata: CoreFunctionMetadata) => {
      const trigger = Object.values(metadata.bindings).find((b) => b.type.endsWith('Trigger'));
      registered.push({ name: metadata.name, trigger: trigger?.type ?? 'none' });
      return disposable;
    },
    Disposable: class {
      dispose(): void {}
    },
  };
}

type Require = (this: NodeJS.Module, id: string) => unknown;

export function probe(entry: string): ProbeResult {
  const registered: RegisteredFunction[] = [];
  const core = functionsCore(registered);
  const prototype = Module.prototype as unknown as { require: Require };
  prototype.require = new Proxy(prototype.require, {
    apply: (target, self: NodeJS.Module, args: [string]) =>
      args[0] === '@azure/functions-core' ? core : Reflect.apply(target, self, args),
  });
  const before = new Set(Object.keys(require.cache));
  const cpu = process.cpuUsage();
  const start = performance.now();
  const exported = module.require(resolve(entry)) as object;
  const loadMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return {
    loadMs,
    cpuMs: (used.user + used.system) / 1000,
    modules: Object.keys(require.cache).filter((file) => !before.has(file)),
    rssMiB: process.memoryUsage().rss / 2 ** 20,
    functions: registered,
    exports: Object.keys(exported),
  };
}

if (require.main === module) {
  const entry = process.argv[2];
  if (entry === undefined) throw new Error('usage: startup-probe <entry.js>');
  process.stdout.write(JSON.stringify(probe(entry)) + '\n');
}
