import type { Rule } from '../engine/rule.js';
import type { Config, RuleSettings } from './config.js';
import type { RuleOverride } from './schema.js';

export const DEFAULT_DEDUP_MINUTES = 15;

/** Every catalog rule's settings: its own defaults, then the document's overrides. */
export const ruleSettingsFor = (
  catalog: readonly Rule[],
  overrides: Readonly<Record<string, RuleOverride>>,
  dedupMinutes: number,
): Map<string, RuleSettings> =>
  new Map(
    catalog.map((rule) => {
      const override = overrides[rule.id] ?? {};
      return [
        rule.id,
        {
          enabled: override.enabled ?? true,
          severity: override.severity ?? rule.severity,
          dedupMinutes: override.dedupMinutes ?? rule.dedupMinutes ?? dedupMinutes,
        },
      ];
    }),
  );

/**
 * Catalog defaults, nothing allowlisted: the embedded default, and what an invalid document
 * gives. Kept apart from the validator so that using the defaults never loads it.
 */
export const defaultConfigFor = (catalog: readonly Rule[]): Config => ({
  dedupMinutes: DEFAULT_DEDUP_MINUTES,
  rules: ruleSettingsFor(catalog, {}, DEFAULT_DEDUP_MINUTES),
  allow: [],
});
