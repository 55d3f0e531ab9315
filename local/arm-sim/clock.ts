/**
 * Simulated time. Durations inside the simulator (boot, replication, run command) are in sim seconds;
 * one real second is `timeScale` sim seconds, so a 10-minute validation can finish in a second.
 * Timestamps written into resources stay wall-clock (ISO) so they compare sanely with the app's clock.
 */
export class SimClock {
  private readonly realStart = Date.now();
  private offsetMs = 0;

  constructor(readonly timeScale: number) {
    if (!(timeScale > 0)) throw new RangeError(`timeScale must be > 0, got ${timeScale}`);
  }

  /** Sim milliseconds elapsed since the simulator started. */
  elapsedMs(): number {
    return (Date.now() - this.realStart) * this.timeScale + this.offsetMs;
  }

  /** Jump sim time forward (admin API), e.g. to time out a stuck agent without waiting. */
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  /** Real milliseconds until sim time reaches `elapsedMs`. */
  realDelayUntil(elapsedMs: number): number {
    return Math.max(0, (elapsedMs - this.elapsedMs()) / this.timeScale);
  }

  wallIso(): string {
    return new Date().toISOString();
  }
}

interface Job {
  readonly dueMs: number;
  readonly run: () => void;
}

/**
 * Runs state transitions when sim time reaches them. Every request calls `runDue()` first, so reads
 * always see up-to-date state; a single unref'd timer also fires them with nobody asking (webhooks).
 */
export class Scheduler {
  private jobs: Job[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly clock: SimClock) {}

  after(simSeconds: number, run: () => void): void {
    this.at(this.clock.elapsedMs() + simSeconds * 1000, run);
  }

  at(dueMs: number, run: () => void): void {
    this.jobs.push({ dueMs, run });
    this.jobs.sort((a, b) => a.dueMs - b.dueMs);
    this.arm();
  }

  runDue(): void {
    const now = this.clock.elapsedMs();
    while (this.jobs.length > 0 && this.jobs[0]!.dueMs <= now) {
      const job = this.jobs.shift()!;
      job.run();
    }
    this.arm();
  }

  clear(): void {
    this.jobs = [];
    this.arm();
  }

  close(): void {
    this.closed = true;
    this.clear();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.jobs[0];
    if (this.closed || !next) return;
    const delay = Math.min(this.clock.realDelayUntil(next.dueMs) + 1, 2 ** 31 - 1);
    this.timer = setTimeout(() => this.runDue(), delay);
    this.timer.unref();
  }
}
