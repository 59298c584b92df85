import { shown } from '../alert/text/escape.js';
import { describeError } from '../errors.js';
import type { TrailEvent } from '../intake/trail-event.js';
import type { PipelineLogger } from '../pipeline/ports.js';
import { type RootSession, sessionOpenedBy } from './root-session.js';
import { joinSession, type RootSessionJoin, sessionAccessKeyOf } from './session-join.js';
import { MemoryRootSessions, type RootSessionStore } from './session-store.js';

/**
 * The join for one batch of events (an invocation's, or a file's in replay): the sessions the
 * batch opens are known to its own events at once, whatever order they come in, and are written
 * to the store for the batches after it; every other session is looked up in the store.
 */
export class SessionJoiner {
  readonly #store: RootSessionStore | undefined;
  readonly #logger: PipelineLogger | undefined;
  readonly #batch = new MemoryRootSessions();

  /**
   * @param store where sessions outlive the batch; without one, nothing is joined but what the
   *   batch itself opens
   */
  constructor(store: RootSessionStore | undefined, logger?: PipelineLogger) {
    this.#store = store;
    this.#logger = logger;
  }

  /**
   * Remembers every session the events open: for this batch at once, then in the store. Never
   * rejects: a session not stored is logged, and its calls in later batches say that no
   * AssumeRoot was seen, so that no allowlist entry naming its caller covers them.
   */
  async remember(events: readonly TrailEvent[], now: Date): Promise<void> {
    const opened = events.flatMap((event) => {
      const session = sessionOpenedBy(event, now);
      return session === undefined ? [] : [session];
    });
    for (const session of opened) this.#batch.add(session);
    if (this.#store === undefined) return;
    await Promise.all(opened.map((session) => this.#write(session)));
  }

  async #write(session: RootSession): Promise<void> {
    const store = this.#store;
    if (store === undefined) return;
    try {
      await store.remember(session);
      this.#logger?.info('Root session remembered', fieldsOf(session));
    } catch (error) {
      this.#logger?.error(
        'Root session not remembered; its calls will say no AssumeRoot was seen',
        {
          ...fieldsOf(session),
          error: shown(describeError(error)),
        },
      );
    }
  }

  /** The session a root event belongs to, as far as the monitor knows it. */
  async join(event: TrailEvent): Promise<RootSessionJoin | undefined> {
    const key = sessionAccessKeyOf(event);
    if (key === undefined) return joinSession(event, undefined);
    const batch = this.#batch.get(key);
    if (batch !== undefined || this.#store === undefined) return joinSession(event, batch);
    try {
      return joinSession(event, await this.#store.find(key));
    } catch (error) {
      this.#logger?.warn('Root sessions unreadable; the event is judged without its session', {
        eventId: shown(event.eventId),
        accessKeyId: shown(key),
        error: shown(describeError(error)),
      });
      return joinSession(event, undefined, true);
    }
  }
}

const fieldsOf = (session: RootSession) => ({
  accessKeyId: shown(session.accessKeyId),
  openedBy: shown(session.openedBy),
  sourceIp: shown(session.sourceIp),
  targetAccount: shown(session.targetAccount),
  taskPolicyArn: shown(session.taskPolicyArn),
  expiresAt: new Date(session.expiresAt).toISOString(),
  eventId: shown(session.eventId),
});
