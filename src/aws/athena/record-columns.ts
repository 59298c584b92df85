/**
 * The columns a query selects to rebuild each CloudTrail record for the engine: every field the
 * engine and the rules read, at its path in the record. The table's DDL (ddl.ts) declares them
 * all; `json` columns hold a JSON document as text (CloudTrail's SerDe writes
 * requestParameters, responseElements and additionalEventData so).
 */
export interface RecordColumn {
  /** The column as Athena names it (lower case, structs dotted). */
  sql: string;
  /** Where its value goes in the record. */
  path: readonly string[];
  json?: true;
}

const column = (path: string, json?: true): RecordColumn => ({
  sql: path.toLowerCase(),
  path: path.split('.'),
  ...(json ? { json } : {}),
});

export const RECORD_COLUMNS: readonly RecordColumn[] = [
  column('eventVersion'),
  column('userIdentity.type'),
  column('userIdentity.principalId'),
  column('userIdentity.arn'),
  column('userIdentity.accountId'),
  column('userIdentity.invokedBy'),
  column('userIdentity.accessKeyId'),
  column('userIdentity.userName'),
  column('userIdentity.assumedRoot'),
  column('userIdentity.sessionContext.assumedRoot'),
  column('userIdentity.sessionContext.attributes.mfaAuthenticated'),
  column('userIdentity.sessionContext.attributes.creationDate'),
  column('userIdentity.sessionContext.sessionIssuer.type'),
  column('userIdentity.sessionContext.sessionIssuer.arn'),
  column('userIdentity.sessionContext.sessionIssuer.userName'),
  column('eventTime'),
  column('eventSource'),
  column('eventName'),
  column('awsRegion'),
  column('sourceIPAddress'),
  column('userAgent'),
  column('errorCode'),
  column('errorMessage'),
  column('requestParameters', true),
  column('responseElements', true),
  column('additionalEventData', true),
  column('requestID'),
  column('eventID'),
  column('readOnly'),
  column('eventType'),
  column('managementEvent'),
  column('recipientAccountId'),
  column('eventCategory'),
  column('sessionCredentialFromConsole'),
];

/**
 * The CloudTrail record one result row stands for: each value present put back at its path,
 * JSON columns parsed (kept as text when they do not parse). A NULL leaves the field out, as
 * CloudTrail leaves out a field it has no value for.
 */
export const recordOf = (values: readonly (string | undefined)[]): Record<string, unknown> => {
  const record: Record<string, unknown> = {};
  RECORD_COLUMNS.forEach(({ path, json }, index) => {
    const value = values[index];
    if (value === undefined) return;
    let target = record;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (typeof next !== 'object' || next === null) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[path[path.length - 1] as string] = json ? parsedOrText(value) : value;
  });
  return record;
};

const parsedOrText = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};
