/** Where an Athena query runs: the options of athena query, and of config diff with --athena. */
export const athenaQueryOptions = {
  database: { type: 'string' },
  table: { type: 'string' },
  workgroup: { type: 'string' },
  output: { type: 'string' },
} as const;

/** The optional parts of where a query runs, as the Athena adapter takes them. */
export const workGroupAndOutput = (values: {
  workgroup?: string | undefined;
  output?: string | undefined;
}): { workGroup?: string; outputLocation?: string } => ({
  ...(values.workgroup === undefined ? {} : { workGroup: values.workgroup }),
  ...(values.output === undefined ? {} : { outputLocation: values.output }),
});
