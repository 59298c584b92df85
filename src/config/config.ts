import type { Severity } from '../engine/severity.js';
import type { ConfigDocumentShape } from './schema.js';

/** A rule's effective settings once the document's overrides are applied to the catalog. */
export interface RuleSettings {
  enabled: boolean;
  severity: Severity;
  dedupMinutes: number;
}

/**
 * One allowlist entry, as written in the document. Its fields and what each may hold are the
 * schema's (see `configDocumentSchema`): one description, not two to keep alike.
 */
export type AllowEntry = NonNullable<ConfigDocumentShape['allow']>[number];

/** A validated configuration: what the engine decides with. */
export interface Config {
  dedupMinutes: number;
  /** Settings for every rule of the catalog, by rule id. */
  rules: ReadonlyMap<string, RuleSettings>;
  allow: readonly AllowEntry[];
}

/** One configuration document and where it came from (a file path or an SSM parameter name). */
export interface ConfigDocument {
  source: string;
  text: string;
}

export type ConfigResult =
  | { valid: true; config: Config; warnings: readonly string[] }
  /** `config` is the fail-closed configuration: catalog defaults, nothing allowlisted. */
  | { valid: false; config: Config; problems: readonly string[] };
