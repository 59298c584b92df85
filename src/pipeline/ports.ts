import type { Logger } from '@aws-lambda-powertools/logger';
import type { AlertNotice } from '../alert/alert-notice.js';
import type { BusEvent } from '../alert/bus-event.js';
import type { SnsPublishRequest } from '../alert/render/sns-request.js';
import type { ConfigDocument } from '../config/config.js';
import type { ActiveConfig } from '../config-watch/active-config.js';
import type { TrailEvent } from '../intake/trail-event.js';
import type { InputShape, MonitorFunction } from '../intake/trigger-input.js';
import type { EventResult } from './results.js';

/** What the pipeline reads of the Lambda context. */
export interface Invocation {
  getRemainingTimeInMillis(): number;
}

/** Where alerts are published: SNS in the Lambda. Resolves to the message id. */
export interface AlertSink {
  publish(message: SnsPublishRequest): Promise<string | undefined>;
}

/**
 * What a configuration read gives: the documents, whether they are missing or stale, and when
 * they were last read successfully (epoch ms; for stale documents, the read they came from).
 */
export type DocumentsLoad = {
  documents: readonly ConfigDocument[];
  missing: boolean;
  readAt: number;
} & ({ stale: false } | { stale: true; error: Error });

/** Where configuration documents come from: SSM in the Lambda. Rejects when none can be had. */
export interface DocumentSource {
  load(): Promise<DocumentsLoad>;
  /** Drops what is cached, so the next load reads the documents as they are now. */
  forget(): void;
}

/** The subset of the Powertools logger the pipeline uses, so tests can read what it logged. */
export type PipelineLogger = Pick<Logger, 'critical' | 'error' | 'warn' | 'info' | 'debug'>;

/** Where CloudTrail log files are read from: S3 in the backstop. Resolves to the raw bytes. */
export type LogFileReader = (bucket: string, key: string) => Promise<AsyncIterable<Uint8Array>>;

/** One stored version of a configuration parameter. */
export interface ParameterVersion {
  name: string;
  version: number;
  text: string;
  /** The version's description, as its writer gave it: the announcement quotes it as the reason. */
  description: string | undefined;
  modifiedBy: string | undefined;
  modifiedAt: Date | undefined;
}

/**
 * A version and the one before it. `changed` is missing when the history no longer holds it
 * (SSM keeps 100), `previous` when the change made the first version.
 */
export type ParameterVersions =
  | { kind: 'missing' }
  | {
      kind: 'found';
      changed: ParameterVersion | undefined;
      previous: ParameterVersion | undefined;
    };

/** Where earlier versions of a configuration parameter are read: SSM's parameter history. */
export interface VersionHistory {
  /** `version` and the one before it; without `version`, the newest and the one before. */
  around(name: string, version: number | undefined): Promise<ParameterVersions>;
}

/** Where each input a function's trigger never sends is counted: the UnexpectedInput metric. */
export interface UnexpectedInputMetrics {
  unexpectedInput(fn: MonitorFunction, shape: InputShape): void;
}

/**
 * Where the pipeline reports what it did, for metrics. It only reports: counting never changes a
 * decision, and a recorder that fails must not fail the invocation.
 */
export interface MetricsRecorder extends UnexpectedInputMetrics {
  /** One event judged, and what became of it; `at` is when its handling finished. */
  eventJudged(event: TrailEvent, result: EventResult, at: Date): void;
  /** The configuration this invocation judged root usage with. */
  configInForce(active: ActiveConfig, at: Date): void;
  /** A dedup window that no claim could have written was replaced (see `judge`). */
  untrustedWindow(): void;
}

/** Records nothing: for tools and tests that have no use for metrics. */
export const NO_METRICS: MetricsRecorder = {
  eventJudged: () => undefined,
  configInForce: () => undefined,
  unexpectedInput: () => undefined,
  untrustedWindow: () => undefined,
};

/** A finding Security Hub would not take, with its reason. */
export interface RefusedFinding {
  id: string;
  reason: string;
}

/**
 * Where alerts are also filed as findings: Security Hub in the Lambda. Called only after every
 * alert of the invocation is out. Rejects when the import failed or ran out of time.
 */
export interface FindingSink {
  importFindings(notices: readonly AlertNotice[], now: Date): Promise<readonly RefusedFinding[]>;
}

/** An event the bus would not take: its place in the list given, and EventBridge's reason. */
export interface RefusedEvent {
  index: number;
  reason: string;
}

/**
 * Where alerts and digests are also put as events, for EventBridge rules to route: the default
 * event bus in the Lambda. Called only after every alert of the invocation is out. Rejects when
 * the put failed or ran out of time.
 */
export interface EventSink {
  putEvents(events: readonly BusEvent[]): Promise<readonly RefusedEvent[]>;
}
