import { createHash, randomUUID } from 'node:crypto';
import type { SnsPublishRequest } from '../alert/render/sns-request.js';
import type { ClaimRequest, DedupStore } from '../dedup/dedup-store.js';
import { describeError } from '../errors.js';
import type { AlertSink, PipelineLogger } from '../pipeline/ports.js';
import type { ConfigTrouble } from './active-config.js';
import { configAlertFor } from './config-alert.js';
import { staleConfigAlertFor } from './stale-config-alert.js';

/** A broken configuration is announced once a day while it stays broken, not once per event. */
const REPEAT_AFTER_MS = 24 * 60 * 60 * 1000;

const accountOf = (topicArn: string): string | undefined => topicArn.split(':')[4];

/**
 * What makes two troubles the same announcement. Invalid documents are told apart by their
 * problems, so a new problem is announced. An unreadable parameter, or a stale one, is one
 * trouble however the read failed: the error text varies from one attempt to the next (an
 * endpoint's address, a request id), and each variant would otherwise page again at every cache
 * expiry. A stale one is not told apart by its read time either: each container read at its own
 * moment, and one outage would page once per container.
 */
const identityOf = (trouble: ConfigTrouble): object =>
  trouble.kind === 'invalid'
    ? { kind: trouble.kind, problems: trouble.problems, sources: trouble.sources }
    : { kind: trouble.kind, sources: trouble.sources };

const messageFor = (trouble: ConfigTrouble, topicArn: string, now: Date): SnsPublishRequest =>
  trouble.kind === 'stale'
    ? staleConfigAlertFor(
        {
          readAt: trouble.readAt,
          error: trouble.problems.join('; '),
          sources: trouble.sources,
          now,
        },
        topicArn,
        accountOf(topicArn),
      )
    : configAlertFor(trouble.problems, trouble.sources, topicArn, accountOf(topicArn));

/**
 * Announces that the configuration is invalid, unreadable, or stale for too long. The announcement is claimed in the
 * dedup store like an alert, so concurrent invocations send it once; a failure to send is
 * logged and released for the next invocation to retry, never allowed to hold up a root alert.
 */
export class ConfigAlarm {
  readonly #store: DedupStore;
  readonly #sink: AlertSink;
  readonly #topicArn: string;
  readonly #logger: PipelineLogger;
  /**
   * Troubles announced from this container, with when their day ends: no store call for them
   * until then. A warm container can live past a day, and the trouble with it.
   */
  readonly #announced = new Map<string, number>();

  constructor(store: DedupStore, sink: AlertSink, topicArn: string, logger: PipelineLogger) {
    this.#store = store;
    this.#sink = sink;
    this.#topicArn = topicArn;
    this.#logger = logger;
  }

  /** Like a root alert: if the store cannot say, announce anyway rather than stay silent. */
  async #claim(claim: ClaimRequest): Promise<'claimed' | 'duplicate' | 'in-flight' | 'unclaimed'> {
    try {
      // A claim older than the day's window (another container, its clock ahead, announced it
      // later) is counted in it: that announcement covers this one.
      return (await this.#store.claim(claim)).kind;
    } catch (error) {
      this.#logger.error('Dedup table unavailable; sending the configuration alert unclaimed', {
        error: describeError(error),
      });
      return 'unclaimed';
    }
  }

  /** @param leaseUntil the end of this invocation, which holds the claim while it announces */
  async raise(trouble: ConfigTrouble, now: Date, leaseUntil: number): Promise<void> {
    const digest = createHash('sha256')
      .update(JSON.stringify(identityOf(trouble)))
      .digest('hex')
      .slice(0, 32);
    if (now.getTime() < (this.#announced.get(digest) ?? 0)) return;
    const claim = {
      key: `config#${digest}`,
      // Unique per attempt: a store treats a repeated opener as a redelivery, and this alarm
      // must be able to open the next day's window.
      eventId: `config#${digest}@${now.getTime()}`,
      at: now.getTime(),
      until: now.getTime() + REPEAT_AFTER_MS,
      token: randomUUID(),
      leaseUntil,
      now: now.getTime(),
    };
    const claimed = await this.#claim(claim);
    // Another invocation is announcing it; if that fails, a later invocation claims again.
    if (claimed === 'in-flight') return;
    if (claimed !== 'duplicate') {
      let messageId: string | undefined;
      try {
        messageId = await this.#sink.publish(messageFor(trouble, this.#topicArn, now));
      } catch (error) {
        if (claimed === 'claimed') {
          await this.#store.release(claim).catch((releaseError: unknown) =>
            // The claim stays pending until this invocation ends; a later one announces it.
            this.#logger.error('Configuration alert not sent and its claim not released', {
              error: describeError(releaseError),
            }),
          );
        }
        this.#logger.error('Configuration alert not sent; the next invocation retries', {
          error: describeError(error),
        });
        return;
      }
      if (claimed === 'claimed') {
        await this.#store.markSent(claim, messageId).catch((markError: unknown) =>
          // Its lease ends with this invocation; a later one may announce it again.
          this.#logger.error('Configuration alert sent but its claim not marked sent', {
            error: describeError(markError),
          }),
        );
      }
    }
    this.#announced.set(digest, claim.until);
  }
}
