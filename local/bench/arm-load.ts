import { DEMO, DEMO_IMAGES } from '../arm-sim';
import { ArmThrottledError } from '../../shared/azure/arm-call-limiter';
import { statusOf } from '../../shared/azure/rest-errors';
import type { Services } from '../../shared/app/services';

/**
 * What one instance of the app asks of ARM in a busy minute, in miniature: `workers` concurrent loops
 * of gallery reads with a tag PATCH (a write, plus its LRO polls) every `writeEvery` reads. A step the
 * limiter requeues (ArmThrottledError) is retried after the wait it named, as the run queue would.
 */
export async function armLoad(
  services: Services,
  options: { workers: number; reads: number; writeEvery: number; instance: number },
): Promise<{ requeued: number }> {
  const compute = services.arm.compute(DEMO.subscriptionId);
  let requeued = 0;
  const step = async <T>(call: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await call();
      } catch (error) {
        // The engine requeues a step on a 429 too (after the SDK's own retries gave up).
        const throttled = error instanceof ArmThrottledError || statusOf(error) === 429;
        if (!throttled) throw error;
        requeued++;
        const wait = error instanceof ArmThrottledError ? error.retryAfterMs : 1000;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };
  await Promise.all(
    Array.from({ length: options.workers }, async (_, worker) => {
      for (let i = 0; i < options.reads; i++) {
        const image = DEMO_IMAGES[(worker + i) % DEMO_IMAGES.length]!.name;
        await step(() =>
          compute.galleryImageVersions.get(DEMO.resourceGroup, DEMO.gallery, image, DEMO.version),
        );
        if ((i + 1) % options.writeEvery === 0) {
          await step(() =>
            compute.galleries.beginUpdateAndWait(DEMO.resourceGroup, DEMO.gallery, {
              tags: { [`gg-load-${options.instance}-${worker}`]: String(i) },
            }),
          );
        }
      }
    }),
  );
  return { requeued };
}
