import { digestEventFor } from '../alert/bus-event.js';
import type { SnsPublishRequest } from '../alert/render/sns-request.js';
import { shown } from '../alert/text/escape.js';
import { describeError } from '../errors.js';
import type { AlertSink, EventSink, PipelineLogger } from '../pipeline/ports.js';
import { putSentOnBus } from '../pipeline/put-sent-on-bus.js';
import { renderedOrPlain } from '../pipeline/rendered-or-plain.js';
import type { DigestResult } from '../pipeline/results.js';
import { digestMessageFor } from './digest-message.js';
import { plainDigestFor } from './plain-digest.js';
import type { DigestClaim, DigestStore, WindowDigest } from './window-digest.js';

export interface WindowDigestsParts {
  store: DigestStore;
  sink: AlertSink;
  topicArn: string;
  logger: PipelineLogger;
  /** The event bus, when digests are also put there as events (on by default in the Lambda). */
  events?: EventSink | undefined;
  /** The wall clock; tests move it on. */
  clock?: () => Date;
}

/**
 * Time a run keeps in hand before its invocation ends: a digest claimed later might go out and
 * not be marked sent before Lambda stops the run, and go out again at the next.
 */
export const DIGEST_RUN_MARGIN_MS = 30_000;

/**
 * Sends the digest of every collapse window that has closed with events it counted: what
 * followed the window's alert, which no one has been told yet. Run by a schedule. Each
 * digest is claimed under a lease, published, then marked sent, so that two runs never send
 * it both; one that cannot be published is released for the next run, and one published but
 * not marked sent goes out again (twice rather than not at all).
 */
export class WindowDigests {
  readonly #parts: WindowDigestsParts;

  constructor(parts: WindowDigestsParts) {
    this.#parts = parts;
  }

  /**
   * Never throws for a digest that could not be published: it is left for the next run, five
   * minutes on, and a failed run would be retried and then parked with the alerts that never
   * reached a person, which it is not. A schedule that keeps failing is the `digests` health
   * check's to report.
   *
   * @param now the wall clock: windows whose event-time end has passed are closed
   * @param leaseUntil the end of the invocation: no digest is held longer
   * @returns the digests sent, and how many could not be
   */
  async sendDue(
    now: Date,
    leaseUntil: number,
  ): Promise<{ results: DigestResult[]; unsent: number }> {
    const { store, logger } = this.#parts;
    const results: DigestResult[] = [];
    const sent: WindowDigest[] = [];
    let unsent = 0;
    const clock = this.#parts.clock ?? (() => new Date());
    for await (const due of store.dueDigests(now.getTime())) {
      if (clock().getTime() > leaseUntil - DIGEST_RUN_MARGIN_MS) {
        logger.warn('Digest run out of time; the next run sends the digests still due', {
          dedupKey: shown(due.key),
        });
        break;
      }
      const claim = await store.claimDigest(due, leaseUntil, now.getTime());
      if (claim === undefined) {
        logger.info('Window digest held, or already sent, by another run', {
          dedupKey: shown(due.key),
        });
        continue;
      }
      try {
        results.push(await this.#send(claim));
        sent.push(claim.digest);
      } catch {
        // Logged, and its lease given back, by #send.
        unsent++;
      }
    }
    // After every digest of the run is out, as the alerts' events are.
    if (sent.length > 0) await this.#putEvents(sent);
    return { results, unsent };
  }

  /** Puts the run's digests on the event bus; a failure is logged, never thrown. */
  async #putEvents(sent: readonly WindowDigest[]): Promise<void> {
    await putSentOnBus(this.#parts.events, sent, {
      eventOf: digestEventFor,
      idOf: (digest) => digest.key,
      idField: 'dedupKey',
      refused: 'EventBridge refused a digest event; the digest was sent',
      failed: 'Window digests not put on the event bus; the digests were sent',
      logger: this.#parts.logger,
    });
  }

  /** The digest as published: in full, or plainly when rendering it failed, never not at all. */
  #render(digest: WindowDigest): SnsPublishRequest {
    const { topicArn, logger } = this.#parts;
    return renderedOrPlain(
      () => digestMessageFor(digest, topicArn),
      (renderError) => plainDigestFor(digest, topicArn, renderError),
      {
        logger,
        message: 'Window digest could not be rendered; publishing it plainly',
        fields: { dedupKey: shown(digest.key) },
      },
    );
  }

  async #send(claim: DigestClaim): Promise<DigestResult> {
    const { store, sink, logger } = this.#parts;
    const { digest } = claim;
    const fields = {
      dedupKey: shown(digest.key),
      openedBy: shown(digest.openerId),
      events: digest.events.length,
      reportedBefore: digest.reportedBefore,
    };
    let messageId: string | undefined;
    try {
      messageId = await sink.publish(this.#render(digest));
    } catch (error) {
      await store.releaseDigest(claim).catch((releaseError: unknown) =>
        logger.error(
          'Window digest not published and not released; its lease ends with this invocation',
          {
            ...fields,
            error: describeError(releaseError),
          },
        ),
      );
      logger.error('Window digest not published; the next run sends it', {
        ...fields,
        error: describeError(error),
      });
      throw error;
    }
    logger.info('Window digest sent', { ...fields, messageId });
    try {
      await store.markDigestSent(claim);
    } catch (error) {
      logger.error('Window digest sent but not marked sent; the next run sends it again', {
        ...fields,
        error: describeError(error),
      });
    }
    return {
      decision: 'digest',
      dedupKey: fields.dedupKey,
      events: digest.events.length,
      reportedBefore: digest.reportedBefore,
      messageId,
    };
  }
}
