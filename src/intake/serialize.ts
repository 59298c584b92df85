/**
 * Indentation costs two spaces per level on every line, so a small record nested deep (an array
 * a thousand levels down holding thousands of values) grows a thousandfold when indented: enough
 * to exhaust the Lambda's memory, which no catch survives. Deeper than this, JSON is written
 * compact; no CloudTrail record a person reads nests this deep.
 */
export const MAX_INDENTED_DEPTH = 20;

/** Whether `value` nests objects or arrays deeper than `limit`; iterative, so any depth is safe. */
const nestsDeeperThan = (value: unknown, limit: number): boolean => {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
};

/**
 * `JSON.stringify` for event content, which cannot throw. A record nested deeply enough
 * overflows the stack while being serialized; an event that crashed every attempt to render it
 * would never be alerted, so such a record reads as undefined and callers say so instead. A
 * record nested deeper than {@link MAX_INDENTED_DEPTH} is written compact, whatever `indent`.
 */
export const serialize = (value: unknown, indent?: number): string | undefined => {
  try {
    const bounded =
      indent === undefined || nestsDeeperThan(value, MAX_INDENTED_DEPTH) ? undefined : indent;
    return JSON.stringify(value, null, bounded);
  } catch {
    return undefined;
  }
};
