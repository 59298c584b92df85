import type { ConfigChangeNotice } from '../alert/config-change-alert.js';
import type { WindowDigest } from '../dedup/window-digest.js';
import type { Replayed } from './replay-json.js';

/**
 * How replay prints: a piece of output per root-usage event, per announced change to the
 * configuration parameter and per digest of a closed collapse window, and what closes the run.
 */
export interface ReplayFormat {
  event(replayed: Replayed): string;
  change(notice: ConfigChangeNotice): string;
  digest(digest: WindowDigest): string;
  end(): string;
}
