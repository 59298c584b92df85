import type * as z from 'zod/mini';
import { CATALOG } from '../../rules/index.js';
import { FALLBACK_RULE_ID } from '../engine/fallback.js';
import type { AllowEntry, Config, ConfigDocument, ConfigResult, RuleSettings } from './config.js';
import { type ConfigDocumentShape, configDocumentSchema, type RuleOverride } from './schema.js';

export const DEFAULT_DEDUP_MINUTES = 15;

const settingsFor = (
  overrides: Readonly<Record<string, RuleOverride>>,
  dedupMinutes: number,
): Map<string, RuleSettings> =>
  new Map(
    CATALOG.map((rule) => {
      const override = overrides[rule.id] ?? {};
      return [
        rule.id,
        {
          enabled: override.enabled ?? true,
          severity: override.severity ?? rule.severity,
          dedupMinutes: override.dedupMinutes ?? dedupMinutes,
        },
      ];
    }),
  );

/** Catalog defaults, nothing allowlisted: the embedded default, and what an invalid document gives. */
export const DEFAULT_CONFIG: Config = {
  dedupMinutes: DEFAULT_DEDUP_MINUTES,
  rules: settingsFor({}, DEFAULT_DEDUP_MINUTES),
  allow: [],
};

type Path = readonly PropertyKey[];

const valueAt = (root: unknown, path: Path): unknown =>
  path.reduce<unknown>(
    (node, key) =>
      typeof node === 'object' && node !== null
        ? (node as Record<PropertyKey, unknown>)[key]
        : undefined,
    root,
  );

/** `allow[2] (billing-task).sourceIps[0]`: the entry's id makes a long list navigable. */
const describePath = (root: unknown, path: Path): string => {
  let text = '';
  path.forEach((key, index) => {
    if (typeof key === 'number') text += `[${key}]`;
    else text += `${text === '' ? '' : '.'}${String(key)}`;
    const id = index === 1 && path[0] === 'allow' ? valueAt(root, ['allow', key, 'id']) : undefined;
    if (typeof id === 'string') text += ` (${JSON.stringify(id)})`;
  });
  return text === '' ? 'document' : text;
};

/** zod/mini carries no message catalogue; these say a type problem in the words of JSON. */
const JSON_KINDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
};

const kindOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object'
    ? 'an object'
    : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
};

const describeIssue = (root: unknown, issue: z.core.$ZodIssue): string => {
  const where = describePath(root, issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${where}: unknown field ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
  }
  const value = valueAt(root, issue.path);
  if (issue.code === 'invalid_type') {
    return value === undefined
      ? `${where}: is required`
      : `${where}: must be ${JSON_KINDS[issue.expected] ?? issue.expected}, got ${kindOf(value)}`;
  }
  const got =
    typeof value === 'string' || typeof value === 'number'
      ? ` (got ${JSON.stringify(value).slice(0, 80)})`
      : '';
  return `${where}: ${issue.message}${got}`;
};

/** Rule overrides that would open a hole in detection, refused whatever the document says. */
const catalogProblems = (rules: Readonly<Record<string, RuleOverride>>): string[] =>
  Object.entries(rules).flatMap(([id, override]) => {
    const rule = CATALOG.find((candidate) => candidate.id === id);
    const where = `rules.${JSON.stringify(id)}`;
    if (rule === undefined) {
      return [`${where}: unknown rule id; known rules: ${CATALOG.map((r) => r.id).join(', ')}`];
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

const parseOne = ({ source, text }: ConfigDocument): Parsed | string[] => {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return [`${source}: not valid JSON: ${(error as Error).message}`];
  }
  const result = configDocumentSchema.safeParse(raw);
  if (!result.success) {
    return result.error.issues.map((issue) => `${source}: ${describeIssue(raw, issue)}`);
  }
  const problems = catalogProblems(result.data.rules ?? {}).map((p) => `${source}: ${p}`);
  return problems.length > 0 ? problems : { source, document: result.data };
};

/** Problems that appear only once several documents are merged (a path of parameters). */
const mergeProblems = (parsed: readonly Parsed[]): string[] => {
  const problems: string[] = [];
  const idOwners = new Map<string, string>();
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
    (document.allow ?? []).forEach((entry, index) => {
      const owner = idOwners.get(entry.id);
      if (owner !== undefined) {
        problems.push(
          `${source}: allow[${index}] (${JSON.stringify(entry.id)}).id: duplicate id, also used at ${owner}`,
        );
      }
      idOwners.set(entry.id, owner ?? `${source} allow[${index}]`);
    });
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
 * @param now only for warnings about expired entries
 */
export const parseConfig = (
  documents: readonly ConfigDocument[],
  now: Date = new Date(),
): ConfigResult => {
  const parsed: Parsed[] = [];
  const problems: string[] = [];
  for (const document of documents) {
    const result = parseOne(document);
    if (Array.isArray(result)) problems.push(...result);
    else parsed.push(result);
  }
  problems.push(...mergeProblems(parsed));
  if (problems.length > 0) return { valid: false, config: DEFAULT_CONFIG, problems };

  const dedupMinutes =
    parsed.find((p) => p.document.dedupMinutes !== undefined)?.document.dedupMinutes ??
    DEFAULT_DEDUP_MINUTES;
  const overrides: Record<string, RuleOverride> = {};
  for (const p of parsed) Object.assign(overrides, p.document.rules);
  const allow: AllowEntry[] = parsed.flatMap((p) => p.document.allow ?? []);
  return {
    valid: true,
    config: { dedupMinutes, rules: settingsFor(overrides, dedupMinutes), allow },
    warnings: expiryWarnings(parsed, now),
  };
};
