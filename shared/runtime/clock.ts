/** Injected everywhere time matters, so tests control it without patching globals. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
