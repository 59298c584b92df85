import { escapeText } from '../alert/text/escape.js';
import { RootMonitorError } from '../errors.js';
import { decompressed } from '../intake/decompressed.js';
import { InputError } from '../intake/input-error.js';
import { logFilesIn, type ObjectLocation } from '../intake/trail-file-notices.js';
import { trailLogParts } from '../intake/trail-log-stream.js';
import type { Monitor } from './monitor.js';
import type { Invocation, LogFileReader, PipelineLogger } from './ports.js';

/** A log file that could not be read to its end: the message names the file and the cause. */
export class LogFileError extends RootMonitorError {
  override name = 'LogFileError';

  constructor(file: string, cause: unknown) {
    const code = cause instanceof Error && 'code' in cause ? String(cause.code) : '';
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${file}: ${code.startsWith('Z_') ? `corrupt gzip data (${reason})` : reason}`, {
      cause,
    });
  }
}

/** What one log file held, as logged once it has been read. */
export interface FileSummary {
  file: string;
  records: number;
  rootEvents: number;
  alerts: number;
}

/**
 * The backstop behind EventBridge: each message announces CloudTrail log files; each file is
 * streamed, and its root events go through the same monitor (engine, allowlist, dedup table)
 * as real-time events. An event EventBridge already delivered is a duplicate here; one it
 * missed alerts, saying so.
 *
 * A message fails (and SQS delivers it again, then parks it in the dead-letter queue) when a
 * file cannot be read to its end or an alert cannot be published. The events read before a
 * defect are still alerted: a broken file must not hide the root usage it does show.
 */
export class TrailFileBackstop {
  readonly #monitor: Monitor;
  readonly #read: LogFileReader;
  readonly #logger: PipelineLogger;

  constructor(monitor: Monitor, read: LogFileReader, logger: PipelineLogger) {
    this.#monitor = monitor;
    this.#read = read;
    this.#logger = logger;
  }

  /** Handles one SQS message body; throws when any file it announces failed. */
  /** @param invocation the Lambda context: the dedup claims are leased until it ends. */
  async handleMessage(
    body: string,
    messageId: string,
    invocation?: Invocation,
  ): Promise<FileSummary[]> {
    const files = logFilesIn(body, `SQS message ${messageId}`);
    const summaries: FileSummary[] = [];
    const failures: unknown[] = [];
    // Each file has its turn even when one before it failed.
    for (const file of files) {
      try {
        summaries.push(await this.#handleFile(file, invocation));
      } catch (error) {
        failures.push(error);
      }
    }
    const [first] = failures;
    if (failures.length === 1) throw first;
    if (failures.length > 1)
      throw new AggregateError(failures, `${failures.length} log files failed`);
    return summaries;
  }

  async #handleFile(
    { bucket, key }: ObjectLocation,
    invocation: Invocation | undefined,
  ): Promise<FileSummary> {
    const file = `s3://${bucket}/${key}`;
    const summary: FileSummary = { file, records: 0, rootEvents: 0, alerts: 0 };
    const unpublished: unknown[] = [];
    try {
      const bytes = decompressed(await this.#read(bucket, key));
      for await (const part of trailLogParts(bytes, file)) {
        summary.records += part.records;
        if (part.rootEvents.length === 0) continue;
        summary.rootEvents += part.rootEvents.length;
        try {
          const results = await this.#monitor.handleEvents(part.rootEvents, invocation, { file });
          summary.alerts += results.filter((result) => result.decision === 'alert').length;
        } catch (error) {
          // The rest of the file is still read and alerted; the message fails at the end.
          unpublished.push(error);
        }
      }
    } catch (error) {
      throw error instanceof InputError ? error : new LogFileError(file, error);
    }
    this.#logger.info('Trail file read', { ...summary, file: escapeText(file, 512) });
    const [first] = unpublished;
    if (first !== undefined) throw first;
    return summary;
  }
}
