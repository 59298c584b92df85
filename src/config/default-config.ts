import { CATALOG } from '../../rules/index.js';
import type { Config, RuleSettings } from './config.js';
import type { RuleOverride } from './schema.js';

export const DEFAULT_DEDUP_MINUTES = 15;

/** Every catalog rule's settings: its own defaults, then the document's overrides. */
export const ruleSettingsFor = (
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

/**
 * Catalog defaults, nothing allowlisted: the embedded default, and what an invalid document
 * gives. Kept apart from the validator so that using the defaults never loads it.
 */
export const DEFAULT_CONFIG: Config = {
  dedupMinutes: DEFAULT_DEDUP_MINUTES,
  rules: ruleSettingsFor({}, DEFAULT_DEDUP_MINUTES),
  allow: [],
};
