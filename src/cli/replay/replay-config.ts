import { readFile } from 'node:fs/promises';
import { CATALOG } from '../../../rules/index.js';
import type { Config } from '../../config/config.js';
import { defaultConfigFor, ruleSettingsFor } from '../../config/default-config.js';
import type { RuleOverride } from '../../config/schema.js';
import { printable } from '../output.js';
import { reasonOf } from '../sources/read-paths.js';
import { UsageError } from '../usage-error.js';

/** `--dedup-minutes`, checked by the document's own schema so the bounds live in one place. */
export const dedupMinutesOption = async (text: string | undefined): Promise<number | undefined> => {
  if (text === undefined) return undefined;
  // Loaded only for the flag: replay on the defaults starts without the validator.
  const [{ dedupMinutesSchema }, { safeParse }] = await Promise.all([
    import('../../config/schema.js'),
    import('valibot'),
  ]);
  // Number() alone would read '', ' 5', '0x10' and '1e2' as numbers; only decimals count here.
  const result = safeParse(
    dedupMinutesSchema,
    /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN,
  );
  if (!result.success) {
    const problems = result.issues.map((issue) => issue.message).join('; ');
    throw new UsageError(`--dedup-minutes ${JSON.stringify(text)}: ${problems}`);
  }
  return result.output;
};

/**
 * `--dedup-minutes` replaces the document-wide window. A `Config` holds only effective settings,
 * so it cannot tell a rule that inherited the document-wide window from one whose own setting
 * happens to be the same number; the rule settings are therefore rebuilt from the document's
 * own overrides with `ruleSettingsFor`, as `parseConfig` builds them. The result is what the
 * document would give with `"dedupMinutes": minutes`, while the document itself is validated as
 * written, so a bad dedupMinutes in it is still reported.
 */
const withDedupMinutes = (
  config: Config,
  overrides: Readonly<Record<string, RuleOverride>>,
  minutes: number,
): Config => ({
  ...config,
  dedupMinutes: minutes,
  rules: ruleSettingsFor(CATALOG, overrides, minutes),
});

/** The configuration to replay with, or undefined (after saying why) when it cannot be used. */
export const loadConfig = async (
  path: string | undefined,
  dedupMinutes: number | undefined,
): Promise<Config | undefined> => {
  if (path === undefined) {
    const defaults = defaultConfigFor(CATALOG);
    return dedupMinutes === undefined ? defaults : withDedupMinutes(defaults, {}, dedupMinutes);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    process.stderr.write(`root-monitor replay: ${printable(path)}: ${reasonOf(error)}\n`);
    return undefined;
  }
  // The validator is loaded only when there is a document to validate: the defaults need none.
  const { parseConfig } = await import('../../config/parse-config.js');
  const result = parseConfig([{ source: path, text }], CATALOG);
  if (!result.valid) {
    process.stderr.write(
      `root-monitor replay: ${printable(path)} is not a valid configuration; nothing was replayed (the Lambda would allow nothing with it):\n${result.problems.map((problem) => `  ${printable(problem)}\n`).join('')}`,
    );
    return undefined;
  }
  for (const warning of result.warnings) {
    process.stderr.write(`root-monitor replay: warning: ${printable(warning)}\n`);
  }
  if (dedupMinutes === undefined) return result.config;
  // Valid, so this parse succeeds; it only recovers the overrides the document itself makes.
  const [{ configDocumentSchema }, { parse }] = await Promise.all([
    import('../../config/schema.js'),
    import('valibot'),
  ]);
  const overrides = parse(configDocumentSchema, JSON.parse(text)).rules ?? {};
  return withDedupMinutes(result.config, overrides, dedupMinutes);
};
