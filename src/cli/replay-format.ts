import type { Replayed } from './replay-json.js';

/** How replay prints: a piece of output per root-usage event, and what closes the run. */
export interface ReplayFormat {
  event(replayed: Replayed): string;
  end(): string;
}
