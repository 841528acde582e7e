/** Epoch milliseconds. Injected everywhere time matters so tests can move it instead of sleeping. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}
