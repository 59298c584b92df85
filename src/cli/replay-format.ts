import type { ConfigChangeNotice } from '../alert/config-change-alert.js';
import type { Replayed } from './replay-json.js';

/**
 * How replay prints: a piece of output per root-usage event and per announced change to the
 * configuration parameter, and what closes the run.
 */
export interface ReplayFormat {
  event(replayed: Replayed): string;
  change(notice: ConfigChangeNotice): string;
  end(): string;
}
