/** A number in [0, 1), injected where jitter is chosen so tests can make it deterministic. */
export type Random = () => number;

export const systemRandom: Random = () => Math.random();
