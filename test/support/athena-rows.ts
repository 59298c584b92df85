import { RECORD_COLUMNS } from '../../src/aws/athena/record-columns.js';

/** A record as an Athena result row: its columns in the query's order, as Athena writes them. */
export const rowOf = (record: Record<string, unknown>) => ({
  Data: RECORD_COLUMNS.map(({ path, json }) => {
    let value: unknown = record;
    for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
    if (value === undefined || value === null) return {};
    return { VarCharValue: json ? JSON.stringify(value) : String(value) };
  }),
});

/** The header row Athena gives first: the columns' names. */
export const HEADER = { Data: RECORD_COLUMNS.map(({ sql }) => ({ VarCharValue: sql })) };

/** The column descriptions of a result set of those columns. */
export const COLUMN_INFO = RECORD_COLUMNS.map(({ sql }) => ({ Name: sql, Type: 'varchar' }));
