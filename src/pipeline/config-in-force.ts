import { escapeText } from '../alert/escape.js';
import type { Config } from '../config/config.js';
import { DEFAULT_CONFIG } from '../config/default-config.js';
import { parseConfig } from '../config/parse-config.js';
import type { DocumentSource, DocumentsLoad, PipelineLogger } from './ports.js';

/** Problems quote the document, which whoever can write the parameter controls. */
const shown = (text: string): string => escapeText(text, 1000);

/** Why the configuration in force is the fail-closed one, for the configuration alert. */
export interface ConfigTrouble {
  /** `unreadable`: SSM could not be read at all; `invalid`: the documents have problems. */
  kind: 'unreadable' | 'invalid';
  problems: readonly string[];
  sources: readonly string[];
}

export interface ActiveConfig {
  config: Config;
  /** Set when nothing is allowlisted because the configuration is invalid or unreadable. */
  trouble: ConfigTrouble | undefined;
  /** When the documents were last read successfully (epoch ms); unset when none ever were. */
  readAt?: number;
}

/**
 * The configuration in force, read through a caching source and validated once per distinct
 * content. An invalid or unreadable configuration allows nothing: every root event alerts.
 */
export class ConfigInForce {
  readonly #source: DocumentSource;
  readonly #sourceName: string;
  readonly #logger: PipelineLogger;
  #parsed: { content: string; active: ActiveConfig } | undefined;

  /** @param sourceName the parameter name or path, to name in problems */
  constructor(source: DocumentSource, sourceName: string, logger: PipelineLogger) {
    this.#source = source;
    this.#sourceName = sourceName;
    this.#logger = logger;
  }

  async current(): Promise<ActiveConfig> {
    let load: DocumentsLoad;
    try {
      load = await this.#source.load();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#logger.error('Configuration unreadable; nothing is allowlisted', { error: message });
      return {
        config: DEFAULT_CONFIG,
        trouble: { kind: 'unreadable', problems: [message], sources: [this.#sourceName] },
      };
    }
    if (load.stale) {
      this.#logger.warn('Configuration refresh failed; keeping the last good documents', {
        error: load.error.message,
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
    return { ...this.#parsed.active, readAt: load.readAt };
  }

  #validate(load: DocumentsLoad): ActiveConfig {
    const result = parseConfig(load.documents);
    const sources = load.documents.map((document) => document.source);
    if (!result.valid) {
      this.#logger.error('Configuration invalid; nothing is allowlisted', {
        problems: result.problems.map(shown),
        sources,
      });
      return {
        config: result.config,
        trouble: { kind: 'invalid', problems: result.problems, sources },
      };
    }
    for (const warning of result.warnings) this.#logger.warn(shown(warning));
    return { config: result.config, trouble: undefined };
  }
}
