import { IDENTIFIER } from '../aws/athena/ddl.js';
import { UsageError } from './usage-error.js';

/**
 * Where an Athena query runs: the options of athena query, and of config diff and push with
 * --athena. Each takes a value.
 */
export const ATHENA_QUERY_OPTIONS = ['database', 'table', 'workgroup', 'output'] as const;

/** The table athena ddl creates, unless --table names another. */
export const DEFAULT_TABLE = 'cloudtrail_logs';

/** Where a query runs, as the Athena adapter takes it, and the table it reads. */
export interface AthenaTarget {
  /** The Glue database the query runs in. */
  database: string;
  /** `TABLE` or `DATABASE.TABLE`. */
  table: string;
  workGroup?: string;
  /** `s3://...` for results; the workgroup's own location when absent. */
  outputLocation?: string;
}

/** A Glue database name, as Athena takes it unquoted. */
const DATABASE = /^[a-z0-9_]+$/;

/** Athena's pattern for a workgroup name. */
const WORKGROUP = /^[a-zA-Z0-9._-]{1,128}$/;

/** An S3 location with a bucket: Athena refuses an OutputLocation without one. */
const OUTPUT = /^s3:\/\/[^/\s]+(\/\S*)?$/;

/** `--table`, checked: Athena's and the DDL's unquoted names. */
export const tableOption = (text: string | undefined): string => {
  const table = text ?? DEFAULT_TABLE;
  if (!IDENTIFIER.test(table)) {
    throw new UsageError(
      `--table must be TABLE or DATABASE.TABLE in lower-case letters, digits and _, got ${JSON.stringify(table)}`,
    );
  }
  return table;
};

/**
 * The Athena options, checked alike by every command that takes them: a usage error names
 * the first option that is missing or malformed, and what it expects.
 */
export const athenaTarget = (values: {
  database?: string | undefined;
  table?: string | undefined;
  workgroup?: string | undefined;
  output?: string | undefined;
}): AthenaTarget => {
  const { database, workgroup, output } = values;
  if (database === undefined) {
    throw new UsageError(
      "give --database DB: the table's Glue database, in lower-case letters, digits and _",
    );
  }
  if (!DATABASE.test(database)) {
    throw new UsageError(
      `--database must be a Glue database in lower-case letters, digits and _, got ${JSON.stringify(database)}`,
    );
  }
  const table = tableOption(values.table);
  if (workgroup !== undefined && !WORKGROUP.test(workgroup)) {
    throw new UsageError(
      `--workgroup must be an Athena workgroup: 1 to 128 letters, digits, ., _ and -, got ${JSON.stringify(workgroup)}`,
    );
  }
  if (output !== undefined && !OUTPUT.test(output)) {
    throw new UsageError(
      `--output must be s3://BUCKET/PREFIX/, where Athena writes results, got ${JSON.stringify(output)}`,
    );
  }
  return {
    database,
    table,
    ...(workgroup === undefined ? {} : { workGroup: workgroup }),
    ...(output === undefined ? {} : { outputLocation: output }),
  };
};
