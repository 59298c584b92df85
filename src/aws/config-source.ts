import { ParameterNotFoundError } from '@aws-lambda-powertools/parameters/errors';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { RootMonitorError } from '../errors.js';
import type { DocumentsLoad } from '../pipeline/ports.js';

/** The configuration could not be read and there is no earlier copy to fall back on. */
export class ConfigSourceError extends RootMonitorError {
  override name = 'ConfigSourceError';

  constructor(parameter: string, cause: unknown) {
    super(`Cannot read configuration parameter ${parameter}: ${describeCause(cause)}`, { cause });
  }
}

/** Powertools wraps the SDK's error; the innermost one says what went wrong (throttled, denied). */
const describeCause = (error: unknown): string => {
  let innermost = error;
  while (innermost instanceof Error && innermost.cause !== undefined) innermost = innermost.cause;
  return innermost instanceof Error ? `${innermost.name}: ${innermost.message}` : String(innermost);
};

/**
 * A successful read: the stored documents, sorted by parameter name (validating them is
 * `parseConfig`'s job), whether nothing was stored at all, and when SSM was read.
 */
type Fetched = Pick<DocumentsLoad, 'documents' | 'missing' | 'readAt'>;

export interface ConfigSourceOptions {
  /** One parameter name, or a path ending in `/` whose parameters (recursively) are merged. */
  parameter: string;
  /** How long a read is reused before SSM is asked again, so an edit applies within it. */
  maxAgeSeconds: number;
  client?: SSMClient;
}

/**
 * Reads the configuration document(s) from SSM Parameter Store through Powertools Parameters,
 * which caches them for `maxAgeSeconds`. Values are fetched raw, not with the JSON transform,
 * so a document that does not parse is cached like a good one and its error names the
 * parameter; a broken allowlist must not turn every root event into an SSM call.
 */
export class ConfigSource {
  readonly #parameter: string;
  readonly #maxAgeSeconds: number;
  readonly #provider: SSMProvider;
  #lastGood: Fetched | undefined;
  /**
   * An answer Powertools does not cache (nothing stored, or a failed refresh), reused for
   * maxAge too: otherwise every event would ask SSM again, and wait on its retries.
   */
  #held: { load: DocumentsLoad; until: number } | undefined;
  /** A read that failed with nothing read before it, reported again until it expires. */
  #failure: { error: ConfigSourceError; until: number } | undefined;
  /** Set when the documents are known to have changed: the next read bypasses every cache. */
  #forceFetch = false;

  constructor({ parameter, maxAgeSeconds, client }: ConfigSourceOptions) {
    this.#parameter = parameter;
    this.#maxAgeSeconds = maxAgeSeconds;
    this.#provider = new SSMProvider(client === undefined ? {} : { awsSdkV3Client: client });
  }

  /**
   * The current documents. Rejects with {@link ConfigSourceError} only when SSM cannot be read
   * and nothing was read before; the caller then fails closed.
   */
  /**
   * Drops every cached answer, Powertools' included, so the next load reads SSM: a change to
   * the configuration takes effect at once instead of after maxAge. The last good documents are
   * kept to fall back on should that read fail.
   */
  forget(): void {
    this.#held = undefined;
    this.#failure = undefined;
    this.#forceFetch = true;
  }

  async load(): Promise<DocumentsLoad> {
    if (this.#failure !== undefined && Date.now() < this.#failure.until) throw this.#failure.error;
    this.#failure = undefined;
    if (this.#held !== undefined && Date.now() < this.#held.until) return this.#held.load;
    this.#held = undefined;
    let load: DocumentsLoad;
    try {
      this.#lastGood = { ...(await this.#fetch()), readAt: this.#readAt() };
      load = { ...this.#lastGood, stale: false };
      if (!load.missing) return load;
    } catch (cause) {
      const error = new ConfigSourceError(this.#parameter, cause);
      if (this.#lastGood === undefined) {
        // Nothing to fall back on: the caller fails closed. Asking again for every event would
        // hold each alert behind another failing SSM call, so the failure is held for maxAge.
        this.#failure = { error, until: Date.now() + this.#maxAgeSeconds * 1000 };
        throw error;
      }
      load = { ...this.#lastGood, stale: true, error };
    }
    this.#held = { load, until: Date.now() + this.#maxAgeSeconds * 1000 };
    return load;
  }

  /**
   * When SSM was last read. Within maxAge of the previous read, Powertools answered from its
   * cache, so the read time stays; it moves on only once that cache has surely expired, which
   * errs towards calling the documents older than they are, never fresher.
   */
  #readAt(): number {
    const previous = this.#lastGood?.readAt;
    const now = Date.now();
    return previous !== undefined && now - previous < this.#maxAgeSeconds * 1000 ? previous : now;
  }

  async #fetch(): Promise<Omit<Fetched, 'readAt'>> {
    const maxAge = this.#maxAgeSeconds;
    const forceFetch = this.#forceFetch;
    this.#forceFetch = false;
    if (!this.#parameter.endsWith('/')) {
      try {
        const text = await this.#provider.get(this.#parameter, {
          maxAge,
          forceFetch,
          throwOnMissing: true,
        });
        return { documents: [{ source: this.#parameter, text }], missing: false };
      } catch (error) {
        if (error instanceof ParameterNotFoundError) {
          return { documents: [], missing: true };
        }
        throw error;
      }
    }
    const values = await this.#provider.getMultiple(this.#parameter, {
      maxAge,
      forceFetch,
      recursive: true,
    });
    // Powertools names them relative to the path; the full name is what a person can look up.
    const documents = Object.entries(values ?? {})
      .map(([name, text]) => ({ source: `${this.#parameter}${name}`, text }))
      .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
    return { documents, missing: documents.length === 0 };
  }
}
