import type { Severity } from '../engine/severity.js';

/** A rule's effective settings once the document's overrides are applied to the catalog. */
export interface RuleSettings {
  enabled: boolean;
  severity: Severity;
  dedupMinutes: number;
}

/** A weekly window, in wall-clock time of its IANA time zone. */
export interface AllowWindow {
  days: readonly ('Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun')[];
  start: string;
  end: string;
  timezone: string;
}

/** One allowlist entry, as written in the document. */
export interface AllowEntry {
  id: string;
  reason: string;
  eventNames?: readonly string[];
  eventSources?: readonly string[];
  sourceIps?: readonly string[];
  accounts?: readonly string[];
  regions?: readonly string[];
  assumedRoot?: boolean;
  /** Callers of sts:AssumeRoot: a user's or role's ARN, or a role session's. Never root's own. */
  principalArns?: readonly string[];
  /** Root-task policies an sts:AssumeRoot call may ask for. */
  taskPolicyArns?: readonly string[];
  /**
   * For a member account's root call made in a root session: who opened the session with
   * sts:AssumeRoot (a user's or role's ARN, or a role session's). Matches only sessions seen.
   */
  sessionPrincipalArns?: readonly string[];
  /** For a member account's root call made in a root session: the session's root-task policy. */
  sessionTaskPolicyArns?: readonly string[];
  windows?: readonly AllowWindow[];
  notBefore?: string;
  expires?: string;
}

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
