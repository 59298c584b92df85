/**
 * What an alert says of its source address when root had not used it: the mark each kind of
 * memory gives. `source` is the address as remembered: an IPv4 address, or an IPv6 address's
 * /64 network (`2001:db8:4f2a::/64`), which one host or one customer network holds.
 */
export type FirstSeen =
  /** Root has not used the source in the account for `days`: the alert is raised one severity. */
  | { kind: 'first-seen'; source: string; days: number }
  /**
   * The same while a new deployment learns the sources root uses, until `learningUntil` (wall
   * clock, epoch ms): marked, not raised, so that its first days do not page every alert.
   */
  | { kind: 'learning'; source: string; days: number; learningUntil: number }
  /** Replay: no root event from the source, earlier than this one, was read before it. */
  | { kind: 'in-archive'; source: string };

/**
 * How long after a source's first use (in event time) its events are still first seen. The
 * first calls from a new source come in a burst, delivered at once and racing for the source's
 * collapse window; whichever of them opens the window alerts for them all, so each of them must
 * be able to carry the mark, not only the one whose sighting was first. A minute holds a burst's
 * start, not the session it begins. Being event time, it also holds for an event's retry, its
 * redelivery and the backstop's late reading of it, which find it first seen again.
 */
export const FIRST_USE_MS = 60_000;

/** One root event's use of a source address, for the memory to note. */
export interface Sighting {
  /** The account root acted in: 12 digits (an event without them is not noted). */
  accountId: string;
  /** The address as remembered (see {@link FirstSeen}). */
  source: string;
  /** The event, kept as the source's first for whoever looks at the table. */
  eventId: string;
  /** When the event happened (its time, never later than now), epoch ms. */
  at: number;
  /** Wall clock, epoch ms: what the learning period is measured against. */
  now: number;
}

/** Where the sources root used are remembered: the dedup table in the Lambda, memory in replay. */
export interface SourceMemory {
  /**
   * Notes the sighting and says how it is marked: undefined when root used the source in the
   * account before (within the memory's time). Rejects when the memory cannot say.
   */
  sighting(sighting: Sighting): Promise<FirstSeen | undefined>;
}
