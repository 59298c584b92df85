import { escapeText } from '../alert/text/escape.js';
import { compareDocuments } from '../config/compare-documents.js';
import { announcementClaimFor } from '../dedup/claim-for.js';
import type { ClaimOutcome, DedupStore } from '../dedup/dedup-store.js';
import type { Rule } from '../engine/rule.js';
import { describeError } from '../errors.js';
import type { AlertSink, PipelineLogger, VersionHistory } from '../pipeline/ports.js';
import type { EventResult } from '../pipeline/results.js';
import {
  ClaimInFlightError,
  realTiming,
  settleClaim,
  type Timing,
} from '../pipeline/settle-claim.js';
import {
  type ChangeOutcome,
  CONFIG_CHANGE_RULE_ID,
  type ConfigChangeNotice,
  configChangeAlertFor,
  outcomeFromEvent,
  severityOf,
} from './config-change-alert.js';
import type { ConfigChangeEvent } from './config-change-event.js';

/** The stable log message of an announcement, for a metric filter or a search. */
const CHANGE_LOG_MESSAGE = 'CONFIGURATION_CHANGED';

const shown = (value: string): string => escapeText(value, 256);

export interface ConfigChangeParts {
  topicArn: string;
  /** The monitor reads a path of documents, not one parameter. */
  path: boolean;
  history: VersionHistory;
  store: DedupStore;
  sink: AlertSink;
  logger: PipelineLogger;
  /** The rules whose settings a document overrides, to compare versions with. */
  catalog: readonly Rule[];
  timing?: Timing;
}

/**
 * Announces a change to the monitor's own configuration: who made it and what it opens. The
 * documents before and after come from the parameter's history, since CloudTrail never carries a
 * parameter's value. The announcement is claimed once per eventID (EventBridge delivers at least
 * once) and, like a root alert, sent unclaimed when the store cannot say, and retried by the
 * Lambda when it cannot be published.
 */
export class ConfigChangeAnnouncer {
  readonly #parts: ConfigChangeParts;

  constructor(parts: ConfigChangeParts) {
    this.#parts = parts;
  }

  /** What the history says about the change; a history that cannot be read is said to be so. */
  async #outcomeOf(change: ConfigChangeEvent): Promise<ChangeOutcome> {
    const known = outcomeFromEvent(change);
    if (known !== undefined) return known;
    const { parameters } = change;
    const [parameter] = parameters;
    if (parameter === undefined) return { kind: 'unknown', parameters, why: 'no parameter named' };
    let versions: Awaited<ReturnType<VersionHistory['around']>>;
    try {
      versions = await this.#parts.history.around(parameter, change.version);
    } catch (error) {
      this.#parts.logger.error('Configuration history unreadable; announcing without a diff', {
        error: describeError(error),
      });
      return {
        kind: 'unknown',
        parameters,
        why: `its history could not be read (${describeError(error)})`,
      };
    }
    if (versions.kind === 'missing') {
      return { kind: 'unknown', parameters, why: 'the parameter no longer exists' };
    }
    const { changed, previous } = versions;
    if (changed === undefined) {
      return {
        kind: 'unknown',
        parameters,
        why: `its history does not hold version ${change.version ?? '(newest)'}`,
      };
    }
    return {
      kind: 'compared',
      parameter,
      version: changed.version,
      previousVersion: previous?.version,
      diff: compareDocuments(
        previous === undefined ? undefined : { source: parameter, text: previous.text },
        { source: parameter, text: changed.text },
        this.#parts.catalog,
      ),
      reason: changed.description,
    };
  }

  /** @param leaseUntil the end of the invocation: the claim is held until then while pending */
  async announce(change: ConfigChangeEvent, now: Date, leaseUntil: number): Promise<EventResult> {
    const { logger, store, sink, topicArn } = this.#parts;
    const eventId = shown(change.event.eventId);
    const claim = announcementClaimFor(change.event.eventId, now, leaseUntil);
    let claimed: ClaimOutcome | undefined;
    try {
      claimed = await settleClaim(store, claim, this.#parts.timing ?? realTiming);
    } catch (error) {
      logger.error('Dedup table unavailable; announcing the configuration change unclaimed', {
        error: describeError(error),
      });
    }
    // Another invocation is announcing this very event: the retry finds it sent, or takes over.
    if (claimed?.kind === 'in-flight') throw new ClaimInFlightError(claim.key, claimed.leaseUntil);
    if (claimed?.kind === 'duplicate') {
      logger.info('Duplicate configuration change suppressed', { eventId });
      return {
        decision: 'duplicate',
        eventId,
        severity: 'HIGH',
        ruleIds: [CONFIG_CHANGE_RULE_ID],
        dedupKey: shown(claim.key),
        redelivery: claimed.redelivery,
      };
    }
    const outcome = await this.#outcomeOf(change);
    const notice: ConfigChangeNotice = { change, outcome, path: this.#parts.path };
    const severity = severityOf(outcome);
    logger.warn(CHANGE_LOG_MESSAGE, {
      severity,
      eventId,
      eventName: shown(change.event.eventName),
      principalArn: shown(change.event.identityArn),
      sourceIp: shown(change.event.sourceIp),
      parameters: change.parameters.map(shown),
      outcome: outcome.kind,
    });
    let messageId: string | undefined;
    try {
      messageId = await sink.publish(configChangeAlertFor(notice, topicArn));
    } catch (error) {
      if (claimed !== undefined) {
        await store.release(claim).catch((releaseError: unknown) =>
          logger.error('Configuration change not announced and its claim not released', {
            error: describeError(releaseError),
            eventId,
          }),
        );
      }
      logger.error('Configuration change not announced; failing the invocation so it is retried', {
        error: describeError(error),
        eventId,
      });
      throw error;
    }
    if (claimed !== undefined) {
      await store.markSent(claim, messageId).catch((markError: unknown) =>
        // Its lease ends with this invocation; a redelivery after that announces it again.
        logger.error('Configuration change announced but its claim not marked sent', {
          error: describeError(markError),
          eventId,
        }),
      );
    }
    return {
      decision: 'alert',
      eventId,
      severity,
      ruleIds: [CONFIG_CHANGE_RULE_ID],
      messageId,
      suppressedBefore: 0,
      claimed: claimed !== undefined,
    };
  }
}
