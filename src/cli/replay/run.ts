import { CATALOG } from '../../../rules/index.js';
import type { Config } from '../../config/config.js';
import {
  type ConfigChangeNotice,
  outcomeFromEvent,
} from '../../config-watch/config-change-alert.js';
import {
  type ConfigChangeEvent,
  configChangeOf,
  ownAccountOf,
} from '../../config-watch/config-change-event.js';
import { announcementClaimFor } from '../../dedup/claim-for.js';
import { MemoryDedupStore } from '../../dedup/memory-store.js';
import { MemoryDigests } from '../../digests/memory-digests.js';
import type { RuleContext } from '../../engine/rule.js';
import { ArchiveMemory } from '../../first-seen/archive-memory.js';
import type { TrailEvent } from '../../intake/trail-event.js';
import { decideAndClaim } from '../../pipeline/decide-and-claim.js';
import { SessionJoiner } from '../../root-sessions/session-joiner.js';
import { MemoryRootSessions } from '../../root-sessions/session-store.js';
import { Output, ProgressLine, printable } from '../output.js';
import type { ArchiveItem } from '../sources/archive-item.js';
import { EVERY_EVENT, type Selection, selectionFor } from '../sources/read-document.js';
import type { S3ArchiveOptions, S3Progress } from '../sources/s3-archive.js';
import type { FormatOptions } from './formats/format.js';
import { type FormatName, formatFor } from './formats/format-for.js';
import type { Replayed } from './replayed.js';

/** What a source of items is given: the hooks an S3 archive uses, and which events to keep. */
export type ReplayHooks = Pick<S3ArchiveOptions, 'beforeCheckpoint' | 'progress'> & {
  selection: Selection;
};

interface Totals {
  files: number;
  events: number;
  rootEvents: number;
  alerts: number;
  allowlisted: number;
  duplicates: number;
  /** Digests of closed collapse windows. */
  digests: number;
  /** Changes to the configuration parameter announced. */
  changes: number;
  unreadable: Set<string>;
}

/**
 * A change to the configuration parameter, as the Lambda announces it, except that replay cannot
 * read the parameter's history: what a write changed is unknown, and the announcement says so.
 */
const changeNoticeFor = (
  change: ConfigChangeEvent,
  configParameter: string,
): ConfigChangeNotice => ({
  change,
  outcome: outcomeFromEvent(change) ?? {
    kind: 'unknown',
    parameters: change.parameters,
    why: 'replay cannot read the parameter history; compare the versions with aws ssm get-parameter-history',
  },
  path: configParameter.endsWith('/'),
});

/**
 * Replays the items `itemsFrom` gives through the engine, the rules and an in-memory dedup
 * store, printing each decision, announced change and digest in the chosen format, and the
 * summary on standard error. Resolves to the exit status.
 */
export const runReplay = async (
  itemsFrom: (hooks: ReplayHooks) => AsyncIterable<ArchiveItem>,
  config: Config,
  context: RuleContext,
  formatName: FormatName,
  options: FormatOptions,
): Promise<number> => {
  const output = new Output(process.stdout);
  const progress = new ProgressLine(process.stderr);
  const digests = new MemoryDigests();
  const store = new MemoryDedupStore(digests);
  const sources = new ArchiveMemory();
  // Root sessions opened by the AssumeRoot records read so far, for the calls that follow them.
  const sessions = new MemoryRootSessions();
  const now = new Date();
  const format = await formatFor(formatName, options);
  const interactive = process.stdout.isTTY === true;
  const totals: Totals = {
    files: 0,
    events: 0,
    rootEvents: 0,
    alerts: 0,
    allowlisted: 0,
    duplicates: 0,
    digests: 0,
    changes: 0,
    unreadable: new Set(),
  };
  const { configParameter } = context.monitor;
  const ownAccount = ownAccountOf(context.monitor.topicArn);

  const replayOne = async (event: TrailEvent, joiner: SessionJoiner): Promise<Replayed> => {
    const judged = await decideAndClaim(event, {
      catalog: CATALOG,
      config,
      context,
      now,
      leaseUntil: now.getTime(),
      arrival: 'real-time',
      claim: (request) => store.claim(request),
      sighting: (sighting) => sources.sighting(sighting),
      joinSession: (candidate) => joiner.join(candidate),
    });
    switch (judged.kind) {
      case 'ignored':
        return { decision: 'ignored', ignored: judged };
      case 'allowlisted':
        totals.rootEvents++;
        totals.allowlisted++;
        return { decision: 'allowlisted', allowlisted: judged };
      case 'duplicate':
      case 'in-flight':
        // Replay marks each alert sent before the next event, so no claim is ever in flight.
        totals.rootEvents++;
        totals.duplicates++;
        return {
          decision: 'duplicate',
          alert: judged.alert,
          countedBy: judged.kind === 'duplicate' ? judged.openerId : undefined,
        };
      case 'alert':
        totals.rootEvents++;
        // Replay sends nothing, and every alert it prints counts as sent, as SNS accepting it would.
        await store.markSent(judged.claim, undefined);
        totals.alerts++;
        return {
          decision: 'alert',
          notice: {
            alert: judged.alert,
            suppressedBefore: judged.suppressedBefore,
            ...(judged.firstSeen === undefined ? {} : { firstSeen: judged.firstSeen }),
          },
        };
    }
  };

  /** A change to the configuration parameter is announced once per eventID, as the Lambda does. */
  const firstAnnouncement = async (event: TrailEvent): Promise<boolean> => {
    const claim = announcementClaimFor(event.eventId, now, now.getTime());
    if ((await store.claim(claim)).kind !== 'claimed') return false;
    await store.markSent(claim, undefined);
    return true;
  };

  /**
   * The digests of the windows closed by `closedBy` (event time), each where the Lambda's
   * schedule would send it: claimed, printed as sent, and marked sent, so that events counted
   * later make a follow-up digest.
   */
  const printDigests = async (closedBy: number): Promise<void> => {
    for await (const due of digests.dueDigests(closedBy)) {
      const claim = await digests.claimDigest(due, now.getTime(), now.getTime());
      if (claim === undefined) continue;
      output.write(format.digest(claim.digest));
      await digests.markDigestSent(claim);
      totals.digests++;
    }
  };

  const s3Progress: S3Progress = {
    objects: 0,
    totalObjects: 0,
    bytes: 0,
    totalBytes: 0,
    startedAt: Date.now(),
  };
  const items = itemsFrom({
    beforeCheckpoint: () => output.flush(),
    progress: s3Progress,
    // The engine's reason for ignoring an event needs the event: --show-ignored reads them all.
    selection: options.showIgnored ? EVERY_EVENT : selectionFor(configParameter),
  });
  for await (const item of items) {
    if (item.kind === 'input') totals.files++;
    else if (item.kind === 'problem') {
      totals.unreadable.add(item.name);
      progress.clear();
      await output.flush();
      process.stderr.write(`root-monitor replay: ${printable(item.message)}\n`);
    } else {
      totals.events += item.count;
      // A file's sessions are known to all its events, whatever order they come in (as in one
      // invocation of the Lambda), and to every file after it.
      const joiner = new SessionJoiner(sessions);
      await joiner.remember(item.kept, now);
      for (const event of item.kept) {
        // An event without a time of its own says nothing of which windows have closed.
        if (event.eventTime !== undefined) await printDigests(event.eventTime.getTime());
        const replayed = await replayOne(event, joiner);
        if (replayed !== undefined) output.write(format.event(replayed, { file: item.name }));
        const change = configChangeOf(event, configParameter, ownAccount);
        if (change === undefined || configParameter === undefined) continue;
        if (!(await firstAnnouncement(event))) continue;
        totals.changes++;
        output.write(format.change(changeNoticeFor(change, configParameter), { file: item.name }));
      }
      if (interactive) {
        // The terminal shows output as it comes, and the progress line must not cut into it.
        progress.clear();
        await output.flush();
      } else await output.drain();
    }
    if (output.closed) return totals.unreadable.size > 0 ? 1 : 0;
    progress.update(
      () =>
        `replaying: ${s3Progress.totalObjects > 0 ? s3Status(s3Progress) : plural(totals.files, 'file')}, ${plural(totals.events, 'event')}, ${plural(totals.rootEvents, 'root event')}, ${plural(totals.alerts, 'alert')}`,
    );
  }
  progress.clear();
  // Windows still open when the archive ends close after it: their digests come last.
  await printDigests(Number.POSITIVE_INFINITY);
  output.write(format.end());
  await output.flush();
  if (output.closed) return totals.unreadable.size > 0 ? 1 : 0;
  process.stderr.write(`root-monitor replay: ${describe(totals)}\n`);
  return totals.unreadable.size > 0 ? 1 : 0;
};

/** `120/4000 objects, 35.1/980.0 MB, 12.3 MB/s, 1m 18s left` */
const s3Status = ({ objects, totalObjects, bytes, totalBytes, startedAt }: S3Progress): string => {
  const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
  const rate = bytes / seconds;
  const left = rate > 0 ? Math.round((totalBytes - bytes) / rate) : undefined;
  const mb = (value: number): string => (value / 1e6).toFixed(1);
  const eta =
    left === undefined
      ? ''
      : `, ${left >= 60 ? `${Math.floor(left / 60)}m ` : ''}${left % 60}s left`;
  return `${objects}/${totalObjects} objects, ${mb(bytes)}/${mb(totalBytes)} MB, ${mb(rate)} MB/s${eta}`;
};

const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

const describe = (totals: Totals): string =>
  `${plural(totals.files, 'file')}, ${plural(totals.events, 'event')}, ${plural(totals.rootEvents, 'root event')}: ${plural(totals.alerts, 'alert')}, ${totals.allowlisted} allowlisted, ${plural(totals.duplicates, 'duplicate')}, ${plural(totals.digests, 'digest')}, ${plural(totals.unreadable.size, 'unreadable file')}${totals.changes === 0 ? '' : `; ${plural(totals.changes, 'configuration change')} announced`}`;
