import type { Config } from '../config/config.js';

/** What is wrong with the configuration in force, for the configuration alert. */
export type ConfigTrouble = {
  problems: readonly string[];
  sources: readonly string[];
} & (
  | {
      /**
       * Nothing is allowlisted. `unreadable`: SSM could not be read and nothing was read before;
       * `invalid`: the documents have problems.
       */
      kind: 'unreadable' | 'invalid';
    }
  | {
      /** SSM has not been read for too long; the documents read at `readAt` stay in force. */
      kind: 'stale';
      readAt: Date;
    }
);

/** The configuration an invocation judges by, and what is wrong with it. */
export interface ActiveConfig {
  config: Config;
  /** Set when the configuration is to be announced: fail-closed, or stale for too long. */
  trouble: ConfigTrouble | undefined;
  /** When the documents were last read successfully (epoch ms); unset when none ever were. */
  readAt?: number;
  /** True while a refresh fails and the documents read at `readAt` stay in force. */
  stale: boolean;
}
