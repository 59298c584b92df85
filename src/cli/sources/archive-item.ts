import type { TrailEvent } from '../../intake/trail-event.js';

/** What reading an archive yields, in input order. */
export type ArchiveItem =
  /** An input begins: a file, or standard input. */
  | { kind: 'input'; name: string }
  /** Events of the current input: all are counted, only those selected are kept. */
  | { kind: 'events'; name: string; count: number; kept: TrailEvent[] }
  /** The input, or one line of it, could not be read; the message names it. Reading goes on. */
  | { kind: 'problem'; name: string; message: string };
