import { shown } from '../alert/text/escape.js';
import { defaultConfigFor } from '../config/default-config.js';
import { parseConfig } from '../config/parse-config.js';
import type { Rule } from '../engine/rule.js';
import type { DocumentSource, DocumentsLoad, PipelineLogger } from '../pipeline/ports.js';
import type { ActiveConfig } from './active-config.js';

/** Problems quote the document, which whoever can write the parameter controls. */
const PROBLEM_MAX_CHARS = 1000;

export interface ConfigInForceOptions {
  /** The rules the documents may override, and whose defaults hold when they cannot be used. */
  catalog: readonly Rule[];
  /** The parameter name or path, to name in problems. */
  sourceName: string;
  /** How long SSM may go unread, the last good documents in force, before it is announced. */
  staleAlarmSeconds: number;
}

/**
 * The configuration in force, read through a caching source and validated once per distinct
 * content. An invalid or unreadable configuration allows nothing: every root event alerts.
 */
export class ConfigInForce {
  readonly #source: DocumentSource;
  readonly #catalog: readonly Rule[];
  readonly #sourceName: string;
  readonly #staleAlarmMs: number;
  readonly #logger: PipelineLogger;
  #parsed: { content: string; active: Omit<ActiveConfig, 'stale' | 'readAt'> } | undefined;

  constructor(source: DocumentSource, options: ConfigInForceOptions, logger: PipelineLogger) {
    this.#source = source;
    this.#catalog = options.catalog;
    this.#sourceName = options.sourceName;
    this.#staleAlarmMs = options.staleAlarmSeconds * 1000;
    this.#logger = logger;
  }

  /** The configuration has changed: the next read takes it from the source, not a cache. */
  forget(): void {
    this.#source.forget();
  }

  /** The configuration to judge events by at `now`. */
  async current(now: Date): Promise<ActiveConfig> {
    let load: DocumentsLoad;
    try {
      load = await this.#source.load();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#logger.error('Configuration unreadable; nothing is allowlisted', { error: message });
      return {
        config: defaultConfigFor(this.#catalog),
        trouble: { kind: 'unreadable', problems: [message], sources: [this.#sourceName] },
        stale: false,
      };
    }
    if (load.stale) {
      this.#logger.warn('Configuration refresh failed; keeping the last good documents', {
        error: load.error.message,
        readAt: new Date(load.readAt).toISOString(),
      });
    }
    if (load.missing) {
      this.#logger.warn('Configuration parameter not found; nothing is allowlisted', {
        parameter: this.#sourceName,
      });
    }
    const content = JSON.stringify(load.documents);
    if (this.#parsed?.content !== content) {
      this.#parsed = { content, active: this.#validate(load) };
    }
    const active = { ...this.#parsed.active, readAt: load.readAt, stale: load.stale };
    // A fail-closed document is announced as such; the staleness of a good one once it lasts.
    if (
      !load.stale ||
      active.trouble !== undefined ||
      now.getTime() - load.readAt < this.#staleAlarmMs
    ) {
      return active;
    }
    const sources =
      load.documents.length > 0 ? load.documents.map(({ source }) => source) : [this.#sourceName];
    return {
      ...active,
      trouble: {
        kind: 'stale',
        readAt: new Date(load.readAt),
        problems: [load.error.message],
        sources,
      },
    };
  }

  #validate(load: DocumentsLoad): Omit<ActiveConfig, 'stale' | 'readAt'> {
    const result = parseConfig(load.documents, this.#catalog);
    const sources = load.documents.map((document) => document.source);
    if (!result.valid) {
      this.#logger.error('Configuration invalid; nothing is allowlisted', {
        problems: result.problems.map((problem) => shown(problem, PROBLEM_MAX_CHARS)),
        sources,
      });
      return {
        config: result.config,
        trouble: { kind: 'invalid', problems: result.problems, sources },
      };
    }
    for (const warning of result.warnings) this.#logger.warn(shown(warning, PROBLEM_MAX_CHARS));
    return { config: result.config, trouble: undefined };
  }
}
