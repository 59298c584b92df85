import { readFile } from 'node:fs/promises';
import {
  DescribeParametersCommand,
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { CATALOG } from '../../../rules/index.js';
import { escapeJson, escapeText } from '../../alert/text/escape.js';
import { type ConfigChange, compareDocuments } from '../../config/compare-documents.js';
import type { ConfigDocument } from '../../config/config.js';
import { parseConfig } from '../../config/parse-config.js';
import { InputError } from '../../intake/input-error.js';
import { UsageError } from '../usage-error.js';

/** SSM's value limits: standard parameters are free, advanced ones are billed per month. */
const STANDARD_TIER_MAX_BYTES = 4096;
const ADVANCED_TIER_MAX_BYTES = 8192;

/** SSM's limit on a parameter's description, where the reason for a push is kept. */
export const REASON_MAX_CHARS = 1024;

/**
 * Stored when a push that opens nothing gives no reason: SSM keeps the previous version's
 * description when a write omits one, and the announcement would quote that stale reason.
 */
export const NO_REASON = 'pushed by root-monitor config push without a reason';

export interface ParameterTarget {
  /** The SSM parameter holding one configuration document. */
  parameter: string;
  client?: SSMClient;
}

export type PushOutcome =
  | {
      pushed: true;
      tier: 'Standard' | 'Advanced';
      version: number | undefined;
      /** Expired entries, and anything else worth saying about a document that was stored. */
      warnings: readonly string[];
    }
  /** Nothing was written; every problem is listed. */
  | { pushed: false; problems: readonly string[] };

export interface DiffOutcome {
  /** As diff(1): 0 when the documents are the same, 1 when they differ. */
  exitCode: 0 | 1;
  /** A unified diff from the stored document to the local one; empty when the same. */
  text: string;
}

const readLocal = async (file: string): Promise<string> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot read: ${(error as Error).message}`);
  }
};

const refuseTarget = (parameter: string): void => {
  if (parameter.endsWith('/')) {
    throw new InputError(
      `--parameter ${escapeText(parameter)}: names a path; give the name of one parameter under it`,
    );
  }
};

const storedText = async (client: SSMClient, parameter: string): Promise<string | undefined> => {
  try {
    const { Parameter } = await client.send(new GetParameterCommand({ Name: parameter }));
    return Parameter?.Value;
  } catch (error) {
    if (error instanceof ParameterNotFound) return undefined;
    throw error;
  }
};

/** SSM cannot move an advanced parameter back to the standard tier; it stays advanced. */
const isAdvanced = async (client: SSMClient, parameter: string): Promise<boolean> => {
  const { Parameters = [] } = await client.send(
    new DescribeParametersCommand({
      ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [parameter] }],
    }),
  );
  return Parameters.some((stored) => stored.Tier === 'Advanced');
};

/**
 * The lines a person compares: JSON pretty-printed (so formatting differences vanish), with
 * characters that could rewrite a terminal shown as escapes. Text that is not JSON is shown as
 * it is, escaped line by line.
 */
const displayLines = (text: string): string[] => {
  try {
    // Pretty JSON has line breaks only between tokens, so each line escapes on its own.
    return JSON.stringify(JSON.parse(text), null, 2).split('\n').map(escapeJson);
  } catch {
    return text.split(/\r?\n/).map((line) => escapeText(line, Number.POSITIVE_INFINITY));
  }
};

/** The path the monitor merges must hold the parameter, or the check would be of another set. */
const refuseMergePath = (parameter: string, path: string): void => {
  if (!path.endsWith('/')) {
    throw new InputError(
      `--merged-with ${escapeText(path)}: must be the path the monitor reads (its CONFIG_PARAMETER), ending in /`,
    );
  }
  if (!parameter.startsWith(path)) {
    throw new InputError(
      `--parameter ${escapeText(parameter)}: not under --merged-with ${escapeText(path)}, so the monitor reading that path would not see it`,
    );
  }
};

/**
 * The documents the monitor would merge once FILE is pushed: every parameter under `path`, as
 * the Lambda reads them (through the same source, in the same order), with the target's stored
 * value replaced by FILE, which is named as the source of its own problems.
 */
const mergedSet = async (
  client: SSMClient,
  path: string,
  parameter: string,
  local: ConfigDocument,
): Promise<ConfigDocument[]> => {
  // Loaded only here: a plain push does not pay for Powertools at start-up.
  const { ConfigSource } = await import('../../aws/config-source.js');
  const { documents } = await new ConfigSource({
    parameter: path,
    maxAgeSeconds: 0,
    client,
  }).load();
  const byName = new Map(documents.map((document) => [document.source, document]));
  byName.set(parameter, local);
  return [...byName]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, document]) => document);
};

const refuseReason = (reason: string | undefined): void => {
  if (reason === undefined) return;
  if (reason.trim() === '') throw new UsageError('--reason: empty; say why the change is made');
  if (reason.length > REASON_MAX_CHARS) {
    throw new UsageError(
      `--reason: ${reason.length} characters, more than an SSM parameter's description holds (${REASON_MAX_CHARS})`,
    );
  }
};

/** What a change opens, in a few words per entry or setting, for the refusal to name. */
const widenings = (change: ConfigChange): string =>
  [
    ...change.entries
      .filter((entry) => entry.effect === 'widens')
      .map(
        (entry) =>
          `${entry.kind === 'added' ? 'adds' : 'widens'} entry ${JSON.stringify(entry.id)}`,
      ),
    ...change.settings
      .filter((setting) => setting.effect === 'widens')
      .map((setting) => `${setting.field}: ${setting.why}`),
  ].join('; ');

/**
 * A push that widens what passes silently must say why: the announcement of the change quotes
 * the reason to everyone who gets the alerts. The stored document is the one compared; a
 * parameter that does not exist yet allows nothing, so any entry widens.
 */
const refuseUnexplainedWidening = async (
  client: SSMClient,
  parameter: string,
  local: ConfigDocument,
  reason: string | undefined,
  onWidening: (() => Promise<void>) | undefined,
): Promise<void> => {
  const text = await storedText(client, parameter);
  const before = text === undefined ? undefined : { source: parameter, text };
  const change = compareDocuments(before, local, CATALOG);
  if (!change.widens) return;
  await onWidening?.();
  if (reason !== undefined) return;
  throw new UsageError(
    `--reason TEXT is required: ${escapeText(local.source)} widens what ${escapeText(parameter)} allows (${escapeText(widenings(change), 500)}); the reason is quoted in the announcement of the change`,
  );
};

/**
 * `root-monitor config push --parameter NAME [--merged-with PATH/] [--reason TEXT] FILE`:
 * validates the document and, only if it is valid, stores it as it is written (overwriting), in
 * the advanced tier only when it needs it. With `mergedWith`, the document is validated together
 * with every other document under that path, as the monitor merges them: a set that conflicts
 * (an allowlist id used twice, one rule set in two documents, different dedupMinutes) would fail
 * closed. The reason is stored as the new version's description; a push that widens the
 * allowlist is refused without one.
 */
export const pushConfig = async ({
  parameter,
  file,
  mergedWith,
  reason,
  onWidening,
  client = new SSMClient(),
}: ParameterTarget & {
  file: string;
  mergedWith?: string;
  reason?: string;
  /** Called before the push when FILE widens what the parameter allows: to show its impact. */
  onWidening?: () => Promise<void>;
}): Promise<PushOutcome> => {
  refuseTarget(parameter);
  refuseReason(reason);
  if (mergedWith !== undefined) refuseMergePath(parameter, mergedWith);
  const text = await readLocal(file);
  const local = { source: file, text };
  const documents =
    mergedWith === undefined ? [local] : await mergedSet(client, mergedWith, parameter, local);
  const result = parseConfig(documents, CATALOG);
  if (!result.valid) return { pushed: false, problems: result.problems };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > ADVANCED_TIER_MAX_BYTES) {
    return {
      pushed: false,
      problems: [
        `${file}: ${bytes} bytes, more than an SSM parameter holds (${ADVANCED_TIER_MAX_BYTES}); split it into several documents under one path and set CONFIG_PARAMETER to that path, ending in /`,
      ],
    };
  }
  await refuseUnexplainedWidening(client, parameter, local, reason, onWidening);
  const warnings = [...result.warnings];
  let tier: 'Standard' | 'Advanced' = bytes > STANDARD_TIER_MAX_BYTES ? 'Advanced' : 'Standard';
  if (tier === 'Standard' && (await isAdvanced(client, parameter))) {
    tier = 'Advanced';
    warnings.push(
      `${parameter} stays in the advanced tier (SSM cannot move it back); delete it and push again to store it as a standard parameter`,
    );
  }
  const { Version } = await client.send(
    new PutParameterCommand({
      Name: parameter,
      Value: text,
      Type: 'String',
      Tier: tier,
      Overwrite: true,
      Description: reason ?? NO_REASON,
    }),
  );
  return { pushed: true, tier, version: Version, warnings };
};

/** `root-monitor config show --parameter NAME`: the stored document, pretty-printed. */
export const showConfig = async ({
  parameter,
  client = new SSMClient(),
}: ParameterTarget): Promise<string> => {
  refuseTarget(parameter);
  const text = await storedText(client, parameter);
  if (text === undefined) {
    throw new InputError(`--parameter ${escapeText(parameter)}: no such parameter in SSM`);
  }
  return `${displayLines(text).join('\n')}\n`;
};

/**
 * `root-monitor config diff --parameter NAME FILE`: what pushing FILE would change, as a
 * unified diff from the stored document to the local one. A parameter that does not exist yet
 * diffs as empty.
 */
export const diffConfig = async ({
  parameter,
  file,
  client = new SSMClient(),
}: ParameterTarget & { file: string }): Promise<DiffOutcome> => {
  refuseTarget(parameter);
  const [local, stored] = await Promise.all([readLocal(file), storedText(client, parameter)]);
  // Loaded here: push and show do not pay for the diff library at start-up.
  const { FILE_HEADERS_ONLY, formatPatch, structuredPatch } = await import('diff');
  const asText = (lines: readonly string[]): string => lines.map((line) => `${line}\n`).join('');
  // Names go in unescaped: jsdiff quotes a name with any byte outside printable ASCII in C
  // style, as diff -u does, so nothing in a file name can rewrite the terminal.
  const patch = structuredPatch(
    `${parameter} (SSM${stored === undefined ? ', does not exist' : ''})`,
    file,
    stored === undefined ? '' : asText(displayLines(stored)),
    asText(displayLines(local)),
    undefined,
    undefined,
    { context: 3 }, // as diff -u
  );
  const text = patch.hunks.length === 0 ? '' : formatPatch(patch, FILE_HEADERS_ONLY);
  return { exitCode: text === '' ? 0 : 1, text };
};
