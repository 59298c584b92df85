import { serialize } from '../../intake/serialize.js';
import type { CloudTrailRecord } from '../../intake/trail-event.js';
import { chatJson } from '../text/chat-escape.js';
import { escapeJson } from '../text/escape.js';

/** Serializing a 1 MB record once per alert, not once per size probe. */
const memoized = (render: (record: CloudTrailRecord) => string) => {
  const cache = new WeakMap<CloudTrailRecord, string>();
  return (record: CloudTrailRecord): string => {
    const cached = cache.get(record);
    if (cached !== undefined) return cached;
    const json = render(record);
    cache.set(record, json);
    return json;
  };
};

/** Stands in, as a JSON string, for a record too deeply nested to serialize. */
const UNSERIALIZABLE = JSON.stringify(
  'This CloudTrail record is nested too deeply to show here; read it in CloudTrail under the event ID above.',
);

/** The CloudTrail record as indented JSON, still valid JSON, with no hidden character left raw. */
export const eventJsonOf = memoized((record) => escapeJson(serialize(record, 2) ?? UNSERIALIZABLE));

/** {@link eventJsonOf} with chat markup escaped inside its strings too. */
export const chatEventJsonOf = memoized((record) => chatJson(eventJsonOf(record)));

/** Number of backslashes immediately before `index`. */
const backslashesBefore = (text: string, index: number): number => {
  let count = 0;
  while (index - count - 1 >= 0 && text[index - count - 1] === '\\') count++;
  return count;
};

/** Moves a cut back so it does not split a `\uXXXX` or `\n` escape or a surrogate pair. */
const safeCut = (json: string, cut: number): number => {
  for (let start = cut - 1; start >= Math.max(0, cut - 6); start--) {
    if (json[start] !== '\\' || backslashesBefore(json, start) % 2 === 1) continue;
    const length = json[start + 1] === 'u' ? 6 : 2;
    if (start + length > cut) return start;
    break;
  }
  const code = json.charCodeAt(cut - 1);
  return code >= 0xd800 && code <= 0xdbff ? cut - 1 : cut;
};

const eventTruncationMarker = (shown: number, total: number): string =>
  `[... event JSON truncated: first ${shown} of ${total} characters shown; the full record is in CloudTrail under the event ID above ...]`;

/** At most `maxChars` of the event JSON, followed by a visible marker when it was cut. */
export const eventExcerpt = (json: string, maxChars: number): string => {
  if (json.length <= maxChars) return json;
  const cut = safeCut(json, Math.max(0, Math.floor(maxChars)));
  return `${json.slice(0, cut)}\n${eventTruncationMarker(cut, json.length)}`;
};
