import {
  DEMO,
  isValidationLeftover,
  startArmSimulator,
  type ArmSimulator,
  type ArmSimulatorOptions,
  type FaultRule,
} from '../../local/arm-sim';
import type { RunningAzurite } from '../../local/azurite';
import { DEMO_VALIDATION_SUBNETS, demoValidationSettings } from '../../local/demo/demo-validation-settings';
import type { RunState } from '../../shared/ledger';
import { RUN_TABLE, isTerminalRunState } from '../../shared/ledger';
import { readProgress } from '../../shared/validation/run/validation-state';
import { Phase } from '../../shared/validation/run/validation-phase';
import { eventGridWrite } from '../support/event-payloads';
import { eventually } from '../support/eventually';
import {
  startLocalStack,
  startTestAzurite,
  type LocalStack,
  type LocalStackOptions,
} from '../support/local-stack';

export const GALLERY_ID = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.Compute/galleries/${DEMO.gallery}`;
export const versionIdOf = (image: string, version: string = DEMO.version): string =>
  `${GALLERY_ID}/images/${image}/versions/${version}`;
export const SUBNETS = DEMO_VALIDATION_SUBNETS;

export interface ValidationHarnessOptions {
  readonly timeScale?: number;
  readonly faults?: readonly FaultRule[];
  readonly seed?: number;
  readonly env?: Readonly<Record<string, string>>;
  /** Further simulator options (replication speed, throttling...). */
  readonly sim?: ArmSimulatorOptions;
  /** Linux guests (default synthetic: fast and deterministic; the real-guest suite asks for real). */
  readonly guests?: 'real' | 'synthetic';
  /** Replace or wrap functions (default: the real definitions). */
  readonly definitions?: LocalStackOptions['definitions'];
}

export interface ValidationHarness {
  readonly sim: ArmSimulator;
  readonly stack: LocalStack;
  readonly env: Readonly<Record<string, string>>;
  /** Publishes the version's write event to the Event Grid webhook, as Azure would. */
  publish(image: string, version?: string): Promise<void>;
  /** Waits until the version's run is terminal and its workflow complete; returns the run row. */
  finalRun(image: string, timeoutMs?: number, version?: string): Promise<Record<string, unknown>>;
  liveValidationResources(): { type: string; name: string }[];
  close(): Promise<void>;
}

/** Small delays so the demo scenario validates in seconds (the simulator runs at `timeScale`). */
export function validationEnv(
  sim: ArmSimulator,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    ...demoValidationSettings(sim),
    GG_GALLERY_SCOPES: GALLERY_ID,
    GG_DEFAULT_MODE: 'report-only',
    ...extra,
  };
}

export async function startValidationHarness(
  options: ValidationHarnessOptions = {},
): Promise<ValidationHarness> {
  const sim = await startArmSimulator({
    ...options.sim,
    timeScale: options.timeScale ?? 300,
    seed: options.seed ?? 1,
    faults: options.faults ?? [],
    guests: options.guests ?? 'synthetic',
    onError: () => undefined,
  });
  let azurite: RunningAzurite | undefined;
  try {
    azurite = await startTestAzurite();
    const env = validationEnv(sim, options.env);
    const stack = await startLocalStack({ azurite, env, definitions: options.definitions });
    const runRow = async (image: string, version?: string): Promise<Record<string, unknown> | undefined> => {
      const key = versionIdOf(image, version).toLowerCase();
      for await (const row of stack.table(RUN_TABLE).listEntities<Record<string, unknown>>({
        queryOptions: { filter: `versionKey eq '${key}'` },
      })) {
        return row;
      }
      return undefined;
    };
    return {
      sim,
      stack,
      env,
      publish: async (image, version) => {
        const response = await stack.post(
          'events/eventgrid',
          eventGridWrite({
            versionId: versionIdOf(image, version),
            eventId: `evt-${image}-${version ?? DEMO.version}`,
          }),
          { headers: { 'aeg-event-type': 'Notification' } },
        );
        if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
      },
      finalRun: (image, timeoutMs = 60_000, version) =>
        eventually(
          async () => {
            const row = await runRow(image, version);
            if (row === undefined) return undefined;
            const done =
              isTerminalRunState(row.state as RunState) &&
              readProgress(row as Record<string, string>).phase === Phase.Complete;
            return done ? row : undefined;
          },
          { timeoutMs, intervalMs: 200, what: `a final verdict for ${image}` },
        ),
      liveValidationResources: () =>
        sim
          .liveResources()
          .filter((r) =>
            r.id.toLowerCase().includes(`/resourcegroups/${DEMO.validationResourceGroup.toLowerCase()}/`),
          )
          .filter(isValidationLeftover)
          .map((r) => ({ type: r.type, name: r.name })),
      close: async () => {
        await stack.close();
        await azurite?.close();
        await sim.close();
      },
    };
  } catch (error) {
    await azurite?.close();
    await sim.close();
    throw error;
  }
}
