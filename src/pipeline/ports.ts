import type { Logger } from '@aws-lambda-powertools/logger';
import type { SnsPublishRequest } from '../alert/sns-request.js';
import type { ConfigDocument } from '../config/config.js';

/** Where alerts are published: SNS in the Lambda. Resolves to the message id. */
export interface AlertSink {
  publish(message: SnsPublishRequest): Promise<string | undefined>;
}

/** What a configuration read gives: the documents, and whether they are missing or stale. */
export type DocumentsLoad = { documents: readonly ConfigDocument[]; missing: boolean } & (
  | { stale: false }
  | { stale: true; error: Error }
);

/** Where configuration documents come from: SSM in the Lambda. Rejects when none can be had. */
export interface DocumentSource {
  load(): Promise<DocumentsLoad>;
}

/** The subset of the Powertools logger the pipeline uses, so tests can read what it logged. */
export type PipelineLogger = Pick<Logger, 'critical' | 'error' | 'warn' | 'info' | 'debug'>;

/** Where CloudTrail log files are read from: S3 in the backstop. Resolves to the raw bytes. */
export type LogFileReader = (bucket: string, key: string) => Promise<AsyncIterable<Uint8Array>>;
