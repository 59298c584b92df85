import { issuesRootSession } from '../engine/root-usage.js';
import { parseJson } from '../intake/parse-json.js';
import { eventsFrom } from '../intake/shapes.js';
import type { TrailEvent } from '../intake/trail-event.js';
import { readTrailLog } from '../intake/trail-log.js';

/** The events of one input: every event counted, only root identities kept. */
export interface Read {
  /** How many events the input holds. */
  count: number;
  /** The events that may be root usage (see {@link mayBeRootUsage}), in input order. */
  rootEvents: TrailEvent[];
}

/**
 * Whether an event is by the root identity at all, or is the call that issues a root session
 * (by any identity). The engine ignores every other event without reading further, so replay
 * drops them here, before the engine sees them.
 */
export const mayBeRootUsage = (event: TrailEvent): boolean =>
  event.identityType === 'Root' || issuesRootSession(event);

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Reads one JSON document in any accepted shape. A CloudTrail log file takes the fast path, where
 * only the records that could be root are parsed; anything else is parsed whole.
 *
 * @throws InputError naming `name` when the bytes are not JSON or not an accepted shape
 */
export const readDocument = (bytes: Buffer, name: string): Read => {
  const start = bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2];
  const offset = start ? UTF8_BOM.length : 0;
  const log = readTrailLog(bytes, offset);
  if (log !== undefined) {
    const records = log.candidates.map((text) => parseJson(text, name));
    return {
      count: log.records,
      rootEvents: eventsFrom({ Records: records }, name).filter(mayBeRootUsage),
    };
  }
  const events = eventsFrom(parseJson(bytes.toString('utf8', offset), name), name);
  return { count: events.length, rootEvents: events.filter(mayBeRootUsage) };
};
