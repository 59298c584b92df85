import { literal, ROOT_USAGE_PREDICATE, sqlOf } from '../../engine/root-usage-predicate.js';
import { quotedName } from './ddl.js';
import { RECORD_COLUMNS } from './record-columns.js';

export interface QueryScope {
  table: string;
  /** First and last UTC day, inclusive, `YYYY-MM-DD`. */
  since: string;
  until: string;
  accounts?: readonly string[];
  regions?: readonly string[];
}

/**
 * The root usage of a range of days: the partition columns narrow what Athena reads, the
 * engine's own definition of root usage (ROOT_USAGE_PREDICATE) filters the records, and each row
 * carries the columns its record is rebuilt from (RECORD_COLUMNS), in time order as replay
 * reads an archive.
 */
export const rootUsageQuerySql = (scope: QueryScope): string => {
  const day = (text: string): string => literal(text.replaceAll('-', '/'));
  const conditions = [
    `"day" BETWEEN ${day(scope.since)} AND ${day(scope.until)}`,
    ...(scope.accounts === undefined
      ? []
      : [`account IN (${scope.accounts.map(literal).join(', ')})`]),
    ...(scope.regions === undefined
      ? []
      : [`region IN (${scope.regions.map(literal).join(', ')})`]),
    sqlOf(ROOT_USAGE_PREDICATE),
  ];
  return `SELECT
  ${RECORD_COLUMNS.map(({ sql }) => sql).join(',\n  ')}
FROM ${quotedName(scope.table, '"')}
WHERE ${conditions.join('\n  AND ')}
ORDER BY eventtime, eventid
`;
};
