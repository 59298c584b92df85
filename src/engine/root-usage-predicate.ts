import { ROOT_USAGE } from './root-usage.js';

/**
 * The engine's definition of root usage (ROOT_USAGE) as a predicate over a record's fields,
 * written once and read two ways: as SQL for Athena (sqlOf) and as a check on a record
 * (holdsFor), which tests compare with the engine itself. Fields follow SQL: a field that is
 * missing, empty or not a string is NULL.
 */
export type Predicate =
  | { kind: 'equals'; field: readonly string[]; value: string }
  | { kind: 'in'; field: readonly string[]; values: readonly string[] }
  | { kind: 'absent-or-in'; field: readonly string[]; values: readonly string[] }
  | { kind: 'absent-or-not'; field: readonly string[]; value: string }
  /**
   * `key` of the JSON object in `json` (a column CloudTrail's SerDe keeps as JSON text) holds a
   * value, and `other` is NULL or not that value. Athena reads a JSON number there as its text,
   * where the engine reads only strings: the query may keep a record the engine then ignores,
   * never the other way round.
   */
  | { kind: 'json-other-than'; json: readonly string[]; key: string; other: readonly string[] }
  | { kind: 'all'; parts: readonly Predicate[] }
  | { kind: 'any'; parts: readonly Predicate[] };

const IDENTITY_TYPE = ['userIdentity', 'type'];
const INVOKED_BY = ['userIdentity', 'invokedBy'];
const EVENT_TYPE = ['eventType'];
const EVENT_SOURCE = ['eventSource'];
const EVENT_NAME = ['eventName'];
const REQUEST_PARAMETERS = ['requestParameters'];
const RECIPIENT_ACCOUNT = ['recipientAccountId'];

/**
 * Either root's own call: root's identity, no AWS service acting on its own (a console invoker
 * is the person signed in), and not AWS's own service event; or, whoever makes it, the call that
 * opens a root session (AssumeRoot), a change to a member account's root email or contacts
 * (the call names another account than the one it was recorded in), or centralized root access
 * turned on or off.
 */
export const ROOT_USAGE_PREDICATE: Predicate = {
  kind: 'any',
  parts: [
    {
      kind: 'all',
      parts: [
        { kind: 'equals', field: IDENTITY_TYPE, value: ROOT_USAGE.identityType },
        { kind: 'absent-or-in', field: INVOKED_BY, values: ROOT_USAGE.consoleInvokers },
        { kind: 'absent-or-not', field: EVENT_TYPE, value: ROOT_USAGE.serviceEventType },
      ],
    },
    {
      kind: 'all',
      parts: [
        { kind: 'equals', field: EVENT_SOURCE, value: ROOT_USAGE.sessionIssued.eventSource },
        { kind: 'equals', field: EVENT_NAME, value: ROOT_USAGE.sessionIssued.eventName },
      ],
    },
    {
      kind: 'all',
      parts: [
        {
          kind: 'equals',
          field: EVENT_SOURCE,
          value: ROOT_USAGE.memberRecoveryChanged.eventSource,
        },
        { kind: 'in', field: EVENT_NAME, values: ROOT_USAGE.memberRecoveryChanged.eventNames },
        {
          kind: 'json-other-than',
          json: REQUEST_PARAMETERS,
          key: ROOT_USAGE.memberRecoveryChanged.memberAccountParameter,
          other: RECIPIENT_ACCOUNT,
        },
      ],
    },
    {
      kind: 'all',
      parts: [
        { kind: 'equals', field: EVENT_SOURCE, value: ROOT_USAGE.rootAccessSwitched.eventSource },
        { kind: 'in', field: EVENT_NAME, values: ROOT_USAGE.rootAccessSwitched.eventNames },
      ],
    },
  ],
};

const column = (field: readonly string[]): string => field.join('.').toLowerCase();

/** A SQL string literal. */
export const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/** The predicate as an Athena (Trino) SQL condition, each line after the first indented. */
export const sqlOf = (predicate: Predicate, indent = '  '): string => {
  switch (predicate.kind) {
    case 'equals':
      return `${column(predicate.field)} = ${literal(predicate.value)}`;
    case 'in':
      return `${column(predicate.field)} IN (${predicate.values.map(literal).join(', ')})`;
    case 'json-other-than': {
      const value = `json_extract_scalar(${column(predicate.json)}, ${literal(`$.${predicate.key}`)})`;
      const other = column(predicate.other);
      return `(${value} <> '' AND (${other} IS NULL OR ${other} = '' OR ${value} <> ${other}))`;
    }
    case 'absent-or-in': {
      const name = column(predicate.field);
      return `(${name} IS NULL OR ${name} = '' OR ${name} IN (${predicate.values.map(literal).join(', ')}))`;
    }
    case 'absent-or-not': {
      const name = column(predicate.field);
      return `(${name} IS NULL OR ${name} <> ${literal(predicate.value)})`;
    }
    case 'all':
      return `(${predicate.parts.map((part) => sqlOf(part, indent)).join(`\n${indent}AND `)})`;
    case 'any':
      return `(${predicate.parts.map((part) => sqlOf(part, `${indent}  `)).join(`\n${indent}OR `)})`;
  }
};

const valueAt = (record: unknown, field: readonly string[]): string | undefined => {
  let value = record;
  for (const key of field) {
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  return typeof value === 'string' ? value : undefined;
};

/** What `json_extract_scalar` reads at `key` of the object at `field`: a scalar, as text. */
const jsonScalarAt = (
  record: unknown,
  field: readonly string[],
  key: string,
): string | undefined => {
  let value = record;
  for (const step of [...field, key]) {
    value =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)[step]
        : undefined;
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
};

/** Whether the predicate holds for a record, judged as the SQL would judge it. */
export const holdsFor = (predicate: Predicate, record: unknown): boolean => {
  switch (predicate.kind) {
    case 'equals':
      return valueAt(record, predicate.field) === predicate.value;
    case 'in': {
      const value = valueAt(record, predicate.field);
      return value !== undefined && predicate.values.includes(value);
    }
    case 'json-other-than': {
      const value = jsonScalarAt(record, predicate.json, predicate.key);
      const other = valueAt(record, predicate.other);
      return (
        value !== undefined &&
        value !== '' &&
        (other === undefined || other === '' || value !== other)
      );
    }
    case 'absent-or-in': {
      const value = valueAt(record, predicate.field);
      return value === undefined || value === '' || predicate.values.includes(value);
    }
    case 'absent-or-not':
      return valueAt(record, predicate.field) !== predicate.value;
    case 'all':
      return predicate.parts.every((part) => holdsFor(part, record));
    case 'any':
      return predicate.parts.some((part) => holdsFor(part, record));
  }
};
