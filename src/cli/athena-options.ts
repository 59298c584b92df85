/**
 * Where an Athena query runs: the options of athena query, and of config diff with --athena.
 * Each takes a value.
 */
export const ATHENA_QUERY_OPTIONS = ['database', 'table', 'workgroup', 'output'] as const;

/** The optional parts of where a query runs, as the Athena adapter takes them. */
export const workGroupAndOutput = (values: {
  workgroup?: string | undefined;
  output?: string | undefined;
}): { workGroup?: string; outputLocation?: string } => ({
  ...(values.workgroup === undefined ? {} : { workGroup: values.workgroup }),
  ...(values.output === undefined ? {} : { outputLocation: values.output }),
});
