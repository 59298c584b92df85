import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AlertNotice } from '../alert/alert-notice.js';
import { type FindingTarget, findingFor } from '../alert/finding.js';
import type { FindingSink, RefusedFinding } from '../pipeline/ports.js';
import { SettingsError } from '../settings.js';
import { BOUNDED_CALLS } from './bounded-calls.js';

/**
 * How long importing an invocation's findings may take before it is given up. The alerts are
 * already out; this bounds how long the invocation waits on Security Hub after them.
 */
export const FINDINGS_BUDGET_MS = 5_000;

/** BatchImportFindings takes at most this many findings a call. */
const BATCH_MAX_FINDINGS = 100;

type Sdk = typeof import('@aws-sdk/client-securityhub');

/** The monitor's home partition, Region and account, read from its alert topic's ARN. */
export const findingTargetOf = (topicArn: string): FindingTarget => {
  const match = /^arn:([\w-]+):sns:([a-z0-9-]+):(\d{12}):/.exec(topicArn);
  if (match === null) {
    throw new SettingsError(
      `ALERT_TOPIC_ARN must be an SNS topic ARN to file Security Hub findings in its account, got ${JSON.stringify(topicArn)}`,
    );
  }
  const [, partition = '', region = '', accountId = ''] = match;
  return { partition, region, accountId };
};

export interface SecurityHubOptions {
  target: FindingTarget;
  client?: SecurityHubClient;
  /** @default FINDINGS_BUDGET_MS */
  budgetMs?: number;
}

/**
 * Files alerts in Security Hub with `BatchImportFindings`, under the account's default product.
 * The client is loaded on the first import, not at start-up: it is only needed after the alerts
 * are out, and most invocations send none.
 */
export class SecurityHubFindings implements FindingSink {
  readonly #options: SecurityHubOptions;
  #client: Promise<{ sdk: Sdk; client: SecurityHubClient }> | undefined;

  constructor(options: SecurityHubOptions) {
    this.#options = options;
  }

  async importFindings(
    notices: readonly AlertNotice[],
    now: Date,
  ): Promise<readonly RefusedFinding[]> {
    const { target, budgetMs = FINDINGS_BUDGET_MS } = this.#options;
    const abortSignal = AbortSignal.timeout(budgetMs);
    this.#client ??= this.#load().catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
    const { sdk, client } = await this.#client;
    const findings = notices.map((notice) => findingFor(notice, target, now));
    const refused: RefusedFinding[] = [];
    for (let start = 0; start < findings.length; start += BATCH_MAX_FINDINGS) {
      const answer = await client.send(
        new sdk.BatchImportFindingsCommand({
          Findings: findings.slice(start, start + BATCH_MAX_FINDINGS),
        }),
        { abortSignal },
      );
      for (const failed of answer.FailedFindings ?? []) {
        refused.push({
          id: failed.Id ?? '',
          reason: `${failed.ErrorCode ?? 'Error'}: ${failed.ErrorMessage ?? ''}`,
        });
      }
    }
    return refused;
  }

  async #load(): Promise<{ sdk: Sdk; client: SecurityHubClient }> {
    const sdk = await import('@aws-sdk/client-securityhub');
    return { sdk, client: this.#options.client ?? new sdk.SecurityHubClient(BOUNDED_CALLS) };
  }
}
