import type { RootSession } from './root-session.js';

/**
 * Where root sessions are remembered: the dedup table in the Lambda, memory in replay. The
 * function that sees an `sts:AssumeRoot` remembers its session; every function judging a root
 * event looks its session up by the event's access key.
 */
export interface RootSessionStore {
  remember(session: RootSession): Promise<void>;
  /** The session opened with this access key, while it is remembered; rejects when unreadable. */
  find(accessKeyId: string): Promise<RootSession | undefined>;
}

/**
 * How long after its end a session is remembered. A session lasts at most 15 minutes, but its
 * calls can reach the monitor much later: EventBridge retries a delivery for up to 24 hours, and
 * a call found in a trail file, or forwarded from another Region, arrives late too.
 */
export const SESSION_MEMORY_MARGIN_MS = 24 * 60 * 60_000;

/** Until when a session is remembered, epoch ms. */
export const rememberedUntil = (session: RootSession): number =>
  session.expiresAt + SESSION_MEMORY_MARGIN_MS;

/** How many sessions memory holds before it forgets those past their time. */
const PRUNE_EVERY = 1024;

/**
 * Sessions in memory, for replay and for the sessions one invocation's batch opens. Replay has
 * no wall clock that means anything, so a session is forgotten once a session opened later than
 * its time has been remembered: an archive of years holds far more sessions than are live at
 * once.
 */
export class MemoryRootSessions implements RootSessionStore {
  readonly #sessions = new Map<string, RootSession>();

  /** Remembers at once, for a lookup that must not wait. */
  add(session: RootSession): void {
    this.#sessions.set(session.accessKeyId, session);
    if (this.#sessions.size % PRUNE_EVERY !== 0) return;
    for (const [key, old] of this.#sessions) {
      if (rememberedUntil(old) < session.openedAt) this.#sessions.delete(key);
    }
  }

  /** The session opened with this key, if remembered. */
  get(accessKeyId: string): RootSession | undefined {
    return this.#sessions.get(accessKeyId);
  }

  async remember(session: RootSession): Promise<void> {
    this.add(session);
  }

  async find(accessKeyId: string): Promise<RootSession | undefined> {
    return this.get(accessKeyId);
  }
}
