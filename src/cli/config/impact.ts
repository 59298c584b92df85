import { readFile } from 'node:fs/promises';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { CATALOG } from '../../../rules/index.js';
import { escapeText } from '../../alert/text/escape.js';
import { type DecisionChange, decisionChanges } from '../../config/allowlist-impact.js';
import type { Config } from '../../config/config.js';
import { defaultConfigFor } from '../../config/default-config.js';
import { parseConfig } from '../../config/parse-config.js';
import type { Decision } from '../../engine/decision.js';
import { InputError } from '../../intake/input-error.js';
import type { TrailEvent } from '../../intake/trail-event.js';
import type { AthenaTarget } from '../athena-options.js';

/** CloudTrail's event history keeps 90 days of management events. */
export const HISTORY_MAX_DAYS = 90;

/** Where the root events of the last days are read. */
export type ImpactSource =
  /** CloudTrail's event history (LookupEvents), in each Region named. */
  | {
      kind: 'event-history';
      regions: readonly string[];
      clientFor?: (region: string) => CloudTrailClient;
    }
  /** The trail's Athena table (see `root-monitor athena ddl`): an organization, or longer. */
  | ({ kind: 'athena' } & AthenaTarget);

export interface Impact {
  /** Root events read. */
  read: number;
  /** Those decided otherwise under the new document, oldest first. */
  changes: readonly DecisionChange[];
  /** Where they were read, for the heading. */
  where: string;
}

/** The stored document's configuration as the monitor runs it: fail closed when it is invalid. */
const storedConfig = async (client: SSMClient, parameter: string): Promise<Config> => {
  try {
    const { Parameter } = await client.send(new GetParameterCommand({ Name: parameter }));
    const result = parseConfig([{ source: parameter, text: Parameter?.Value ?? '' }], CATALOG);
    return result.valid ? result.config : defaultConfigFor(CATALOG);
  } catch (error) {
    if (error instanceof ParameterNotFound) return defaultConfigFor(CATALOG);
    throw error;
  }
};

const localConfig = async (file: string): Promise<Config> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot read: ${(error as Error).message}`);
  }
  const result = parseConfig([{ source: file, text }], CATALOG);
  if (!result.valid) {
    throw new InputError(
      `${file} is not a valid configuration, so its effect cannot be judged:\n${result.problems.map((problem) => `  ${problem}`).join('\n')}`,
    );
  }
  return result.config;
};

const eventsOf = async function* (
  source: ImpactSource,
  since: Date,
  until: Date,
): AsyncGenerator<TrailEvent> {
  if (source.kind === 'event-history') {
    const { rootEventsInHistory } = await import('../../aws/event-history.js');
    yield* rootEventsInHistory({
      since,
      until,
      regions: source.regions,
      ...(source.clientFor === undefined ? {} : { clientFor: source.clientFor }),
    });
    return;
  }
  const [{ AthenaClient }, { queryRows }, { recordOf }, { rootUsageQuerySql }, { toTrailEvent }] =
    await Promise.all([
      import('@aws-sdk/client-athena'),
      import('../../aws/athena/query-rows.js'),
      import('../../aws/athena/record-columns.js'),
      import('../../aws/athena/root-usage-query.js'),
      import('../../intake/trail-event.js'),
    ]);
  const day = (date: Date): string => date.toISOString().slice(0, 10);
  const rows = queryRows(new AthenaClient({}), {
    sql: rootUsageQuerySql({ table: source.table, since: day(since), until: day(until) }),
    database: source.database,
    ...(source.workGroup === undefined ? {} : { workGroup: source.workGroup }),
    ...(source.outputLocation === undefined ? {} : { outputLocation: source.outputLocation }),
  });
  for await (const row of rows) yield toTrailEvent(recordOf(row));
};

/**
 * What pushing FILE to `parameter` would have changed over the last `days`: the account's root
 * events replayed against the stored document and against FILE, through the monitor's engine.
 */
export const allowlistImpact = async ({
  parameter,
  file,
  days,
  source,
  now = new Date(),
  ssm = new SSMClient(),
}: {
  parameter: string;
  file: string;
  days: number;
  source: ImpactSource;
  now?: Date;
  ssm?: SSMClient;
}): Promise<Impact> => {
  const [before, after] = await Promise.all([storedConfig(ssm, parameter), localConfig(file)]);
  const since = new Date(now.getTime() - days * 24 * 60 * 60_000);
  const events: TrailEvent[] = [];
  for await (const event of eventsOf(source, since, now)) events.push(event);
  events.sort((a, b) => (a.eventTime?.getTime() ?? 0) - (b.eventTime?.getTime() ?? 0));
  return {
    read: events.length,
    changes: decisionChanges(events, CATALOG, before, after, { monitor: {} }, now),
    where:
      source.kind === 'event-history'
        ? `CloudTrail event history, ${source.regions.join(', ')}`
        : `Athena table ${source.database}.${source.table}`,
  };
};

const decisionText = (decision: Decision): string => {
  switch (decision.kind) {
    case 'ignored':
      return 'ignored';
    case 'allowlisted':
      return `allowlisted by ${JSON.stringify(escapeText(decision.allowlistEntry, 128))}`;
    case 'alert':
      return `alert ${decision.severity} (${escapeText(decision.matches[0].rule.id, 64)})`;
  }
};

const cell = (value: string, width: number): string => escapeText(value, width).padEnd(width);

/**
 * The impact for a person: a heading with what was read, then one line per event decided
 * otherwise, those the new document would silence first. Every event value is escaped.
 */
export const impactText = ({ read, changes, where }: Impact, days: number): string => {
  const silenced = changes.filter((change) => change.silences);
  const lines = [
    `Root events of the last ${days} day${days === 1 ? '' : 's'} (${where}): ${read} read, ${changes.length} decided otherwise by the new document${silenced.length === 0 ? '' : `, ${silenced.length} of them no longer alerted`}.`,
  ];
  for (const { event, before, after } of [...silenced, ...changes.filter((c) => !c.silences)]) {
    lines.push(
      [
        event.eventTime?.toISOString().slice(0, 19).replace('T', ' ') ?? 'unknown time       ',
        `${decisionText(before)} -> ${decisionText(after)}`,
        cell(event.eventName, 40),
        cell(event.accountId, 12),
        cell(event.region, 14),
        cell(event.sourceIp, 39),
        `eventID ${escapeText(event.eventId, 64)}`,
      ].join('  '),
    );
  }
  return `${lines.join('\n')}\n`;
};
