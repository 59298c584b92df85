import { configChangeOf } from '../../config-watch/config-change-event.js';
import { rootUsage } from '../../engine/root-usage.js';
import { inEventTimeOrder } from '../../intake/event-order.js';
import { eventsFrom } from '../../intake/events-from.js';
import { parseJson } from '../../intake/parse-json.js';
import type { TrailEvent } from '../../intake/trail-event.js';
import { readTrailLog } from '../../intake/trail-log.js';

/** The events of one input: every event counted, only those selected kept. */
export interface Read {
  /** How many events the input holds. */
  count: number;
  /**
   * The events the {@link Selection} keeps: a CloudTrail log file's in event-time order (see
   * `inEventTimeOrder`), anything else's in input order.
   */
  kept: TrailEvent[];
}

/**
 * Whether an event is by the root identity at all, or is root usage by another identity (a root
 * session issued, a change of who controls a root user). The engine ignores every other event
 * without reading further, so replay drops them here, before the engine sees them.
 */
export const mayBeRootUsage = (event: TrailEvent): boolean =>
  event.identityType === 'Root' || rootUsage(event).root;

/**
 * Which events replay keeps: those that may be root usage and, when the monitor's configuration
 * parameter is known, every call that changes it, by any identity, which the Lambda announces.
 */
export interface Selection {
  keeps(event: TrailEvent): boolean;
  /** What a kept record's bytes hold besides `Root"`, for the fast path: the parameter's name. */
  needle: Buffer | undefined;
}

export const ROOT_USAGE: Selection = { keeps: mayBeRootUsage, needle: undefined };

/** @param configParameter the monitor's CONFIG_PARAMETER, as the Lambda's environment gives it */
export const selectionFor = (configParameter: string | undefined): Selection => {
  // A call may name the parameter without its leading slash, or by its ARN: both hold this.
  const name = configParameter?.replace(/^\//, '') ?? '';
  if (configParameter === undefined || name === '') return ROOT_USAGE;
  return {
    // Any account's: replay, knowing the monitor's, tells them apart as the Lambda does.
    keeps: (event) =>
      mayBeRootUsage(event) || configChangeOf(event, configParameter, undefined) !== undefined,
    needle: Buffer.from(name),
  };
};

/**
 * Every event, for `replay --show-ignored`: each record of a CloudTrail log file starts with `{`,
 * so with that as the needle the fast path parses them all, and the engine says why it ignores
 * those that are not root usage.
 */
export const EVERY_EVENT: Selection = { keeps: () => true, needle: Buffer.from('{') };

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** `{"Records": [...]}`: a CloudTrail log file, whose records come in no order. */
const isLogFile = (document: unknown): boolean =>
  typeof document === 'object' && document !== null && 'Records' in document;

/**
 * Reads one JSON document in any accepted shape. A CloudTrail log file takes the fast path, where
 * only the records that could be selected are parsed; anything else is parsed whole.
 *
 * @throws InputError naming `name` when the bytes are not JSON or not an accepted shape
 */
export const readDocument = (bytes: Buffer, name: string, selection = ROOT_USAGE): Read => {
  const start = bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2];
  const offset = start ? UTF8_BOM.length : 0;
  const log = readTrailLog(bytes, offset, selection.needle);
  if (log !== undefined) {
    const records = log.candidates.map((text) => parseJson(text, name));
    return {
      count: log.records,
      kept: inEventTimeOrder(eventsFrom({ Records: records }, name).filter(selection.keeps)),
    };
  }
  const document = parseJson(bytes.toString('utf8', offset), name);
  const events = eventsFrom(document, name);
  const kept = events.filter(selection.keeps);
  return { count: events.length, kept: isLogFile(document) ? inEventTimeOrder(kept) : kept };
};
