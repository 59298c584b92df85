/**
 * `JSON.stringify` for event content, which cannot throw. A record nested deeply enough
 * overflows the stack while being serialized; an event that crashed every attempt to render it
 * would never be alerted, so such a record reads as undefined and callers say so instead.
 */
export const serialize = (value: unknown, indent?: number): string | undefined => {
  try {
    return JSON.stringify(value, null, indent);
  } catch {
    return undefined;
  }
};
