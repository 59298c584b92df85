import type { ConfigChangeAnnouncer } from '../config-watch/config-change-announcer.js';
import { configChangeOf, ownAccountOf } from '../config-watch/config-change-event.js';
import type { TrailEvent } from '../intake/trail-event.js';
import { DeliveryJudge, type DeliveryJudgeParts } from '../pipeline/judge-delivery.js';
import type { Monitor } from '../pipeline/monitor.js';
import type { Invocation } from '../pipeline/ports.js';
import type { EventResult } from '../pipeline/results.js';

export interface GuardParts extends DeliveryJudgeParts {
  /** The monitor's configuration parameter, or path ending in `/`, whose changes it announces. */
  configParameter: string;
  /** The alert topic: its account is the one the configuration lives in. */
  topicArn: string;
  announcer: ConfigChangeAnnouncer;
  /**
   * Judges every other change with the catalog, as the real-time function judges root usage:
   * a change by root is root-audit-tampering, one by anyone else monitor-changed or, for a stack
   * operation, monitor-stack-changed. Both paths claim an event under one key, so a root change
   * that both see is announced once.
   */
  monitor: Pick<Monitor, 'handleEvents'>;
}

/**
 * The guard function's work: announce every change to the monitor that an event records,
 * whoever made it, on a path of its own. A change by root is also root usage, which the
 * real-time function alerts on its own; neither waits on the other, and neither shares the
 * other's code, role or rule.
 *
 * A write to the configuration parameter is announced with what it changed; a change to any
 * other part of the monitor (its rules, functions, topics, key, table, queues, alarms, log
 * groups, roles, stack, the trail) is judged by the catalog's rules for it. Each change is
 * announced once per CloudTrail eventID (or counted in its principal's window) and, when it
 * cannot be published, the invocation fails so that Lambda retries it.
 */
export class Guard extends DeliveryJudge {
  readonly #parts: GuardParts;

  constructor(parts: GuardParts) {
    super('guard', parts);
    this.#parts = parts;
  }

  /**
   * Announces each change to the configuration in turn (a batch can hold one event twice), while
   * the catalog judges every event beside it; neither waits on the other's calls, and a change
   * that fails does not hold back the others. Then, if any could not be published, this throws.
   */
  override async handleEvents(
    events: readonly TrailEvent[],
    invocation?: Invocation,
  ): Promise<EventResult[]> {
    const { announcer, configParameter, topicArn, logger } = this.#parts;
    const { now, leaseEnd } = this.started(invocation);
    const ownAccount = ownAccountOf(topicArn);
    const results: EventResult[] = [];
    const failures: unknown[] = [];
    const judging = this.#parts.monitor
      .handleEvents(events, invocation)
      .catch((error: unknown): EventResult[] => {
        failures.push(error);
        return [];
      });
    const announced = new Set<TrailEvent>();
    for (const event of events) {
      const change = configChangeOf(event, configParameter, ownAccount);
      if (change === undefined) continue;
      announced.add(event);
      try {
        results.push(await announcer.announce(change, now, leaseEnd));
      } catch (error) {
        failures.push(error);
      }
    }
    // Events judged alongside: what the catalog made of each, but for a configuration change
    // by anyone but root, which its announcement answers alone.
    const judged = await judging;
    for (const [index, result] of judged.entries()) {
      const event = events[index];
      if (event !== undefined && announced.has(event) && result.decision === 'ignored') continue;
      if (result.decision === 'ignored') {
        logger.debug('Not a change to the monitor', { eventId: result.eventId });
      }
      results.push(result);
    }
    const [first] = failures;
    if (failures.length === 1) throw first;
    if (failures.length > 1) {
      throw new AggregateError(failures, `${failures.length} changes could not be announced`);
    }
    return results;
  }
}
