import {
  type AthenaClient,
  GetQueryExecutionCommand,
  paginateGetQueryResults,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { RootMonitorError } from '../../errors.js';

export interface QueryRun {
  sql: string;
  /** The Glue database the table is in. */
  database: string;
  workGroup?: string;
  /** `s3://...` for results; the workgroup's own location when absent. */
  outputLocation?: string;
}

/** A query Athena ran and did not finish: the message names the query and Athena's reason. */
export class AthenaQueryError extends RootMonitorError {
  override name = 'AthenaQueryError';
}

export interface Polling {
  /** First wait between status checks; each next one is longer, up to maxMs. */
  firstMs: number;
  maxMs: number;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_POLLING: Polling = { firstMs: 200, maxMs: 5_000 };

/** How many rows are asked for per page (Athena's maximum). */
const PAGE_ROWS = 1000;

/**
 * Starts a query, waits for it (checking more and more rarely), then hands on its rows page by
 * page: each row as its column values, `undefined` for NULL. The header row Athena puts first
 * is left out.
 *
 * @param onStarted told the query's id as soon as Athena gives it
 * @throws AthenaQueryError when the query fails or is cancelled
 */
export async function* queryRows(
  client: AthenaClient,
  run: QueryRun,
  onStarted: (queryId: string) => void = () => {},
  polling: Polling = DEFAULT_POLLING,
): AsyncGenerator<(string | undefined)[]> {
  const { QueryExecutionId: queryId } = await client.send(
    new StartQueryExecutionCommand({
      QueryString: run.sql,
      QueryExecutionContext: { Database: run.database },
      ...(run.workGroup === undefined ? {} : { WorkGroup: run.workGroup }),
      ...(run.outputLocation === undefined
        ? {}
        : { ResultConfiguration: { OutputLocation: run.outputLocation } }),
    }),
  );
  if (queryId === undefined) throw new AthenaQueryError('Athena started the query without an id');
  onStarted(queryId);
  const sleep = polling.sleep ?? ((ms: number) => new Promise((done) => setTimeout(done, ms)));
  for (let wait = polling.firstMs; ; wait = Math.min(wait * 2, polling.maxMs)) {
    const { QueryExecution } = await client.send(
      new GetQueryExecutionCommand({ QueryExecutionId: queryId }),
    );
    const state = QueryExecution?.Status?.State;
    if (state === 'SUCCEEDED') break;
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason = QueryExecution?.Status?.StateChangeReason ?? 'no reason given';
      throw new AthenaQueryError(`Athena query ${queryId} ${state}: ${reason}`);
    }
    await sleep(wait);
  }
  let header = true;
  for await (const page of paginateGetQueryResults(
    { client, pageSize: PAGE_ROWS },
    { QueryExecutionId: queryId },
  )) {
    for (const row of page.ResultSet?.Rows ?? []) {
      if (header) {
        header = false;
        continue;
      }
      yield (row.Data ?? []).map((datum) => datum.VarCharValue);
    }
  }
}
