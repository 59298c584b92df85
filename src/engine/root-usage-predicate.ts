import { ROOT_USAGE } from './root-usage.js';

/**
 * The engine's definition of root usage (ROOT_USAGE) as a predicate over a record's fields,
 * written once and read two ways: as SQL for Athena (sqlOf) and as a check on a record
 * (holdsFor), which tests compare with the engine itself. Fields follow SQL: a field that is
 * missing, empty or not a string is NULL.
 */
export type Predicate =
  | { kind: 'equals'; field: readonly string[]; value: string }
  | { kind: 'absent-or-in'; field: readonly string[]; values: readonly string[] }
  | { kind: 'absent-or-not'; field: readonly string[]; value: string }
  | { kind: 'all'; parts: readonly Predicate[] }
  | { kind: 'any'; parts: readonly Predicate[] };

const IDENTITY_TYPE = ['userIdentity', 'type'];
const INVOKED_BY = ['userIdentity', 'invokedBy'];
const EVENT_TYPE = ['eventType'];
const EVENT_SOURCE = ['eventSource'];
const EVENT_NAME = ['eventName'];

/**
 * Either root's own call: root's identity, no AWS service acting on its own (a console invoker
 * is the person signed in), and not AWS's own service event; or the call that opens a root
 * session (AssumeRoot), whoever makes it.
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

/** Whether the predicate holds for a record, judged as the SQL would judge it. */
export const holdsFor = (predicate: Predicate, record: unknown): boolean => {
  switch (predicate.kind) {
    case 'equals':
      return valueAt(record, predicate.field) === predicate.value;
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
