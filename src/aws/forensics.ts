import { createHash } from 'node:crypto';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { S3Client } from '@aws-sdk/client-s3';
import { describeError } from '../errors.js';
import type { TrailEvent } from '../intake/trail-event.js';
import { BOUNDED_CALLS } from './bounded-calls.js';

/** How far back a snapshot looks for IAM users and access keys created around the event. */
const LOOKBACK_MINUTES = 30;
/** ListAccessKeys is one call per user; this bounds the snapshot's time and IAM throttling. */
const DEFAULT_MAX_USERS_INSPECTED = 500;
const LIST_ACCESS_KEYS_CONCURRENCY = 5;
const SAFE_EVENT_ID = /^[A-Za-z0-9-]{1,128}$/;
/**
 * How long a snapshot may take before the invocation ends without it. The alert is already out;
 * a snapshot still running when the Lambda timed out would fail the invocation, and its
 * retries would park the event in the on-failure queue and raise a false alarm.
 */
export const SNAPSHOT_BUDGET_MS = 20_000;

export interface ForensicsOptions {
  bucket: string;
  /**
   * The KMS key snapshots are encrypted with. Without it S3 uses the AWS managed `aws/s3` key,
   * not the bucket's default key, because the request asks for SSE-KMS explicitly.
   */
  kmsKeyId?: string;
  /** @default 500 */
  maxUsersInspected?: number;
  /** @default SNAPSHOT_BUDGET_MS */
  budgetMs?: number;
  s3?: S3Client;
  iam?: IAMClient;
}

export type SnapshotResult = {
  bucket: string;
  key: string;
  /** What the snapshot could not capture (an IAM call denied, the user cap reached). */
  gaps: readonly string[];
} & ({ written: true } | { written: false; error: Error });

interface RecentUser {
  userName: string | undefined;
  userId: string | undefined;
  arn: string | undefined;
  createDate: string | undefined;
}

interface RecentAccessKey {
  userName: string | undefined;
  accessKeyId: string | undefined;
  status: string | undefined;
  createDate: string | undefined;
}

/**
 * The object key of an event's snapshot. The eventId comes from the event, so anything but a
 * plain identifier is replaced by its digest: it can neither escape the prefix nor collide
 * with another event's snapshot.
 */
export const snapshotKey = (event: TrailEvent, now: Date): string => {
  const day = (event.eventTime ?? now).toISOString().slice(0, 10);
  const name = SAFE_EVENT_ID.test(event.eventId)
    ? event.eventId
    : `unsafe-id-${createHash('sha256').update(event.eventId).digest('hex').slice(0, 32)}`;
  return `incidents/root-activity/${day}/${name}.json`;
};

const mapWithConcurrency = async <T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};

/**
 * Writes a snapshot of the account's IAM state to S3 when a critical alert goes out: what an
 * investigator wants frozen before anyone tidies up. The handler calls it after publishing,
 * so it never delays the alert.
 *
 * The S3 and IAM clients are loaded on the first snapshot, not at start-up: most invocations
 * never take one, and cold start sits on the paging path.
 */
export class Forensics {
  readonly #options: ForensicsOptions;
  #sdk: Promise<Sdk> | undefined;

  constructor(options: ForensicsOptions) {
    this.#options = options;
  }

  /** Never rejects, and gives up after its budget: a failure comes back in the result. */
  async takeSnapshot(
    event: TrailEvent,
    alert: Readonly<Record<string, unknown>>,
    now: Date = new Date(),
  ): Promise<SnapshotResult> {
    const { bucket, budgetMs = SNAPSHOT_BUDGET_MS } = this.#options;
    const key = snapshotKey(event, now);
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<SnapshotResult>((resolve) => {
      timer = setTimeout(() => {
        const error = new Error(`snapshot not finished within ${budgetMs} ms; gave up`);
        resolve({ written: false, bucket, key, gaps: [], error });
      }, budgetMs);
    });
    try {
      return await Promise.race([this.#take(event, alert, now, key), giveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #take(
    event: TrailEvent,
    alert: Readonly<Record<string, unknown>>,
    now: Date,
    key: string,
  ): Promise<SnapshotResult> {
    const { bucket, kmsKeyId } = this.#options;
    const gaps: string[] = [];
    try {
      const sdk = await this.#loadSdk();
      const eventTime = event.eventTime ?? now;
      const since = new Date(
        Math.min(eventTime.getTime(), now.getTime()) - LOOKBACK_MINUTES * 60_000,
      );
      const capture = async <T>(what: string, read: () => Promise<T>): Promise<T | null> => {
        try {
          return await read();
        } catch (error) {
          gaps.push(`${what}: ${describeError(error)}`);
          return null;
        }
      };
      const users = await capture('ListUsers', () => sdk.listUsers());
      const [accountSummary, recentAccessKeys] = await Promise.all([
        capture('GetAccountSummary', () => sdk.accountSummary()),
        users === null ? null : this.#recentAccessKeys(sdk, users, since, gaps),
      ]);
      const snapshot = {
        eventId: event.eventId,
        takenAt: now.toISOString(),
        createdSince: since.toISOString(),
        alert,
        event: event.record,
        accountSummary,
        recentUsers: users?.filter((user) => isSince(user.createDate, since)) ?? null,
        recentAccessKeys,
        gaps,
      };
      await sdk.putSnapshot({ bucket, key, kmsKeyId, body: JSON.stringify(snapshot, null, 2) });
      return { written: true, bucket, key, gaps };
    } catch (error) {
      return {
        written: false,
        bucket,
        key,
        gaps,
        error: error instanceof Error ? error : new Error(String(error)),
      };
    }
  }

  async #recentAccessKeys(
    sdk: Sdk,
    users: readonly RecentUser[],
    since: Date,
    gaps: string[],
  ): Promise<RecentAccessKey[]> {
    const limit = this.#options.maxUsersInspected ?? DEFAULT_MAX_USERS_INSPECTED;
    if (users.length > limit) {
      gaps.push(
        `access keys inspected for ${limit} of ${users.length} users, recently created ones first`,
      );
    }
    // Users created in the window first: a key made for a freshly created user must not be
    // the one the cap leaves out.
    const inspected = [
      ...users.filter((user) => isSince(user.createDate, since)),
      ...users.filter((user) => !isSince(user.createDate, since)),
    ]
      .slice(0, limit)
      .flatMap((user) => user.userName ?? []);
    // One user failing (deleted meanwhile) must not hide the keys of the others.
    const failures: string[] = [];
    const keysPerUser = await mapWithConcurrency(
      inspected,
      LIST_ACCESS_KEYS_CONCURRENCY,
      async (userName) => {
        try {
          return await sdk.listAccessKeys(userName);
        } catch (error) {
          failures.push(`${userName} (${describeError(error)})`);
          return [];
        }
      },
    );
    if (failures.length > 0) {
      gaps.push(`ListAccessKeys failed for ${failures.length} users, first: ${failures[0]}`);
    }
    return keysPerUser.flat().filter((accessKey) => isSince(accessKey.createDate, since));
  }

  #loadSdk(): Promise<Sdk> {
    this.#sdk ??= loadSdk(this.#options);
    return this.#sdk;
  }
}

const isSince = (isoTime: string | undefined, since: Date): boolean =>
  isoTime !== undefined && Date.parse(isoTime) >= since.getTime();

/** The few AWS calls a snapshot makes, over clients loaded on first use. */
interface Sdk {
  accountSummary(): Promise<Record<string, number | undefined>>;
  listUsers(): Promise<RecentUser[]>;
  listAccessKeys(userName: string): Promise<RecentAccessKey[]>;
  putSnapshot(object: {
    bucket: string;
    key: string;
    kmsKeyId: string | undefined;
    body: string;
  }): Promise<void>;
}

const loadSdk = async (options: ForensicsOptions): Promise<Sdk> => {
  const [s3Sdk, iamSdk] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/client-iam'),
  ]);
  const s3 = options.s3 ?? new s3Sdk.S3Client(BOUNDED_CALLS);
  const iam = options.iam ?? new iamSdk.IAMClient(BOUNDED_CALLS);
  return {
    async accountSummary() {
      const { SummaryMap = {} } = await iam.send(new iamSdk.GetAccountSummaryCommand({}));
      return {
        users: SummaryMap.Users,
        roles: SummaryMap.Roles,
        accountAccessKeysPresent: SummaryMap.AccountAccessKeysPresent,
        accountMfaEnabled: SummaryMap.AccountMFAEnabled,
      };
    },
    // IAM allows at most 5,000 users per account, so listing them all is a few pages at most.
    async listUsers() {
      const users: RecentUser[] = [];
      for await (const page of iamSdk.paginateListUsers({ client: iam, pageSize: 1000 }, {})) {
        for (const user of page.Users ?? []) {
          users.push({
            userName: user.UserName,
            userId: user.UserId,
            arn: user.Arn,
            createDate: user.CreateDate?.toISOString(),
          });
        }
      }
      return users;
    },
    async listAccessKeys(userName) {
      const { AccessKeyMetadata = [] } = await iam.send(
        new iamSdk.ListAccessKeysCommand({ UserName: userName }),
      );
      return AccessKeyMetadata.map((accessKey) => ({
        userName: accessKey.UserName,
        accessKeyId: accessKey.AccessKeyId,
        status: accessKey.Status,
        createDate: accessKey.CreateDate?.toISOString(),
      }));
    },
    async putSnapshot({ bucket, key, kmsKeyId, body }) {
      await s3.send(
        new s3Sdk.PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json',
          ServerSideEncryption: 'aws:kms',
          ...(kmsKeyId === undefined ? {} : { SSEKMSKeyId: kmsKeyId }),
        }),
      );
    },
  };
};
