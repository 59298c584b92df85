import type { ConfigChangeNotice } from '../../../config-watch/config-change-alert.js';
import type { WindowDigest } from '../../../digests/window-digest.js';
import type { Replayed } from '../replayed.js';

/** Where an event was read: a file's path, `stdin`, an s3:// URL or an Athena query. */
export interface Origin {
  file: string;
}

/** What the replay options ask of every format. */
export interface FormatOptions {
  /** Name the file each event came from (`--show-files`). */
  showFiles: boolean;
  /** Print the events the engine ignored, with the reason (`--show-ignored`). */
  showIgnored: boolean;
}

/**
 * How replay prints: a piece of output per event, per announced change to the configuration
 * parameter and per digest of a closed collapse window, and what closes the run. A format may
 * hold its pieces and give them all at the end.
 */
export interface ReplayFormat {
  event(replayed: Replayed, origin: Origin): string;
  change(notice: ConfigChangeNotice, origin: Origin): string;
  digest(digest: WindowDigest): string;
  end(): string;
}
