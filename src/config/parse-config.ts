import { safeParse } from 'valibot';
import { FALLBACK_RULE_ID, type Rule } from '../engine/rule.js';
import { closestName } from './closest-name.js';
import type { AllowEntry, ConfigDocument, ConfigResult } from './config.js';
import { DEFAULT_DEDUP_MINUTES, defaultConfigFor, ruleSettingsFor } from './default-config.js';
import { fieldNamesAt } from './field-names.js';
import { repeatedKeyProblems } from './repeated-keys.js';
import {
  type ConfigDocumentShape,
  configDocumentSchema,
  type RuleOverride,
  type SchemaIssue,
} from './schema.js';

type Path = readonly PropertyKey[];

const valueAt = (root: unknown, path: Path): unknown =>
  path.reduce<unknown>(
    (node, key) =>
      typeof node === 'object' && node !== null
        ? (node as Record<PropertyKey, unknown>)[key]
        : undefined,
    root,
  );

/** `sourceIps`, or `"root-activity"` for a key that is not a plain name. */
const keyText = (key: PropertyKey): string => {
  const text = String(key);
  return /^[A-Za-z_$][\w$]*$/.test(text) ? text : JSON.stringify(text);
};

/**
 * `allow[2] ("billing-task").sourceIps[0]`: every problem names its place this way, and the
 * entry's id makes a long list navigable.
 */
const describePath = (root: unknown, path: Path): string => {
  let text = '';
  path.forEach((key, index) => {
    if (typeof key === 'number') text += `[${key}]`;
    else text += `${text === '' ? '' : '.'}${keyText(key)}`;
    const id = index === 1 && path[0] === 'allow' ? valueAt(root, ['allow', key, 'id']) : undefined;
    if (typeof id === 'string') text += ` (${JSON.stringify(id)})`;
  });
  return text === '' ? 'document' : text;
};

/** The schemas whose own message is only a type name; these say it in the words of JSON. */
const JSON_KINDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  record: 'an object',
  // `strict` in schema.ts: an object check before the fields are read
  custom: 'an object',
};

const kindOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object'
    ? 'an object'
    : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
};

const describeIssue = (root: unknown, issue: SchemaIssue): string => {
  const path = (issue.path ?? []).map((item) => item.key as PropertyKey);
  if (issue.type === 'strict_object' && issue.expected === 'never') {
    // The path ends at the unknown key; the problem belongs to the object holding it.
    const holder = path.slice(0, -1);
    const field = String(path.at(-1));
    const meant = closestName(field, fieldNamesAt(configDocumentSchema, holder));
    const suggestion = meant === undefined ? '' : ` (did you mean ${JSON.stringify(meant)}?)`;
    return `${describePath(root, holder)}: unknown field ${JSON.stringify(field)}${suggestion}`;
  }
  const where = describePath(root, path);
  const value = valueAt(root, path);
  const kind = JSON_KINDS[issue.type];
  if (issue.kind === 'schema' && (kind !== undefined || value === undefined)) {
    return value === undefined
      ? `${where}: is required`
      : `${where}: must be ${kind}, got ${kindOf(value)}`;
  }
  const got =
    typeof value === 'string' || typeof value === 'number'
      ? ` (got ${JSON.stringify(value).slice(0, 80)})`
      : '';
  return `${where}: ${issue.message}${got}`;
};

/** Rule overrides that would open a hole in detection, refused whatever the document says. */
const catalogProblems = (
  rules: Readonly<Record<string, RuleOverride>>,
  catalog: readonly Rule[],
): string[] =>
  Object.entries(rules).flatMap(([id, override]) => {
    const rule = catalog.find((candidate) => candidate.id === id);
    const where = `rules.${JSON.stringify(id)}`;
    if (rule === undefined) {
      return [`${where}: unknown rule id; known rules: ${catalog.map((r) => r.id).join(', ')}`];
    }
    if (!rule.allowlistable) {
      return [`${where}: this rule is not allowlistable, so no document may disable or change it`];
    }
    const problems: string[] = [];
    if (id === FALLBACK_RULE_ID && override.enabled === false) {
      problems.push(
        `${where}.enabled: the fallback rule cannot be disabled (root usage would go unseen); allowlist the activity instead`,
      );
    }
    if (rule.dedupBy === 'event' && override.dedupMinutes !== undefined) {
      problems.push(
        `${where}.dedupMinutes: this rule alerts once per event; dedupMinutes applies only to rules that collapse repeats`,
      );
    }
    return problems;
  });

type Parsed = { source: string; document: ConfigDocumentShape };

/** One document read: its JSON (when it parses) and, when it is valid, its checked form. */
interface Read {
  source: string;
  raw: unknown;
  document: ConfigDocumentShape | undefined;
  problems: string[];
}

const readOne = ({ source, text }: ConfigDocument, catalog: readonly Rule[]): Read => {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      source,
      raw: undefined,
      document: undefined,
      problems: [`${source}: not valid JSON: ${(error as Error).message}`],
    };
  }
  const repeated = repeatedKeyProblems(text).map(
    ({ path, problem }) => `${source}: ${describePath(raw, path)}: ${problem}`,
  );
  const result = safeParse(configDocumentSchema, raw);
  if (!result.success) {
    const problems = result.issues.map((issue) => `${source}: ${describeIssue(raw, issue)}`);
    return { source, raw, document: undefined, problems: [...repeated, ...problems] };
  }
  const problems = [
    ...repeated,
    ...catalogProblems(result.output.rules ?? {}, catalog).map((p) => `${source}: ${p}`),
  ];
  return { source, raw, document: problems.length > 0 ? undefined : result.output, problems };
};

/**
 * Allowlist ids used twice, in one document or across several, read from the JSON itself so
 * that they are reported alongside a document's other problems, not only once those are fixed.
 */
const duplicateIds = (read: readonly Read[]): string[] => {
  const problems: string[] = [];
  const owners = new Map<string, string>();
  for (const { source, raw } of read) {
    const allow = valueAt(raw, ['allow']);
    if (!Array.isArray(allow)) continue;
    allow.forEach((entry: unknown, index) => {
      const id = valueAt(entry, ['id']);
      if (typeof id !== 'string') return;
      const owner = owners.get(id);
      if (owner !== undefined) {
        problems.push(
          `${source}: allow[${index}] (${JSON.stringify(id)}).id: duplicate id, also used at ${owner}`,
        );
      }
      owners.set(id, owner ?? `${source} allow[${index}]`);
    });
  }
  return problems;
};

/** Settings two valid documents of one path both make, which only one of them may. */
const conflicts = (parsed: readonly Parsed[]): string[] => {
  const problems: string[] = [];
  const ruleOwners = new Map<string, string>();
  const dedupSetters = parsed.filter((p) => p.document.dedupMinutes !== undefined);
  if (new Set(dedupSetters.map((p) => p.document.dedupMinutes)).size > 1) {
    problems.push(
      `dedupMinutes: documents disagree (${dedupSetters.map((p) => `${p.source}: ${p.document.dedupMinutes}`).join(', ')}); set it in one document`,
    );
  }
  for (const { source, document } of parsed) {
    for (const ruleId of Object.keys(document.rules ?? {})) {
      const owner = ruleOwners.get(ruleId);
      if (owner !== undefined) {
        problems.push(
          `${source}: rules.${JSON.stringify(ruleId)}: also set by ${owner}; set each rule in one document`,
        );
      }
      ruleOwners.set(ruleId, owner ?? source);
    }
  }
  return problems;
};

const expiryWarnings = (parsed: readonly Parsed[], now: Date): string[] =>
  parsed.flatMap(({ source, document }) =>
    (document.allow ?? []).flatMap((entry, index) =>
      entry.expires !== undefined && Date.parse(entry.expires) <= now.getTime()
        ? [
            `${source}: allow[${index}] (${JSON.stringify(entry.id)}): expired at ${entry.expires}; it allows nothing`,
          ]
        : [],
    ),
  );

/**
 * Validates and merges configuration documents (one file, or every parameter under an SSM
 * path). No documents means the defaults. Any problem anywhere invalidates the whole set: an
 * invalid configuration allows nothing, never part of what it says.
 *
 * @param catalog the rules overrides may name, in force when no document says otherwise
 * @param now only for warnings about expired entries
 */
export const parseConfig = (
  documents: readonly ConfigDocument[],
  catalog: readonly Rule[],
  now: Date = new Date(),
): ConfigResult => {
  const read = documents.map((document) => readOne(document, catalog));
  const parsed = read.flatMap(({ source, document }) =>
    document === undefined ? [] : [{ source, document }],
  );
  const problems = [
    ...read.flatMap((one) => one.problems),
    ...conflicts(parsed),
    ...duplicateIds(read),
  ];
  if (problems.length > 0) return { valid: false, config: defaultConfigFor(catalog), problems };

  const dedupMinutes =
    parsed.find((p) => p.document.dedupMinutes !== undefined)?.document.dedupMinutes ??
    DEFAULT_DEDUP_MINUTES;
  const overrides: Record<string, RuleOverride> = {};
  for (const p of parsed) Object.assign(overrides, p.document.rules);
  const allow: AllowEntry[] = parsed.flatMap((p) => p.document.allow ?? []);
  return {
    valid: true,
    config: { dedupMinutes, rules: ruleSettingsFor(catalog, overrides, dedupMinutes), allow },
    warnings: expiryWarnings(parsed, now),
  };
};
