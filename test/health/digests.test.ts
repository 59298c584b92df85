import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DedupTable } from '../../src/aws/dedup-table.js';
import { DigestTable } from '../../src/aws/digest-table.js';
import { digestsCheck } from '../../src/health/digests.js';
import { MINUTE, rootRequest, uniqueKey } from '../dedup/claim-requests.js';
import { useMoto } from '../support/aws-env.js';
import { createDedupTable } from '../support/dedup-table.js';

useMoto();

const client = new DynamoDBClient();
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:111122223333:function:root-monitor-digests';
const NOW = new Date();

/**
 * A table where one window, opened `openedMinutesAgo` (15 minutes long), counted two events
 * after its alert, `countedMinutesAgo` by the wall clock (as real-time delivery would, a minute
 * after the opener, unless said); returns the table and the digests of what is due.
 */
const tableWithCountedWindow = async (
  openedMinutesAgo: number,
  countedMinutesAgo = openedMinutesAgo - 1,
) => {
  const tableName = await createDedupTable('digests-check', client);
  const windows = new DedupTable(tableName, client);
  const key = uniqueKey();
  const at = NOW.getTime() - openedMinutesAgo * MINUTE;
  const opener = rootRequest(key, 'e1', at, { now: NOW.getTime() });
  await windows.claim(opener);
  await windows.markSent(opener, 'm1');
  const countedAt = NOW.getTime() - countedMinutesAgo * MINUTE;
  await windows.claim(rootRequest(key, 'e2', at + MINUTE, { now: countedAt }));
  await windows.claim(rootRequest(key, 'e3', at + 2 * MINUTE, { now: countedAt }));
  return { tableName, digests: new DigestTable(tableName, client) };
};

const checkOn = (tableName: string) =>
  digestsCheck(new DigestTable(tableName, client), { digestFunctionArn: FUNCTION_ARN });

describe('Check: digests', () => {
  it('passes when no window counted anything', async () => {
    const tableName = await createDedupTable('digests-check', client);

    expect(await checkOn(tableName).run(NOW)).toEqual({
      ok: true,
      verdict: 'every dedup window that closed more than 30 minutes ago has had its digest',
    });
  });

  it('passes while a closed window waits less than 30 minutes for its digest', async () => {
    const { tableName } = await tableWithCountedWindow(15 + 20);

    expect((await checkOn(tableName).run(NOW)).ok).toBe(true);
  });

  it('fails when a window closed over 30 minutes ago still waits, naming the schedule to enable', async () => {
    const { tableName } = await tableWithCountedWindow(15 + 45);

    const finding = await checkOn(tableName).run(NOW);

    expect(finding).toEqual({
      ok: false,
      verdict: expect.stringMatching(
        /^2 root events counted in dedup windows that closed more than 30 minutes ago were never reported in a digest \(the oldest window closed at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\): the digest schedule is not running or its runs fail$/,
      ),
      fix: expect.stringContaining(
        `aws events list-rule-names-by-target --target-arn ${FUNCTION_ARN}`,
      ),
    });
  });

  it('passes for events a trail file counted just now into a window that closed an hour ago', async () => {
    const { tableName } = await tableWithCountedWindow(15 + 60, 2);

    expect((await checkOn(tableName).run(NOW)).ok).toBe(true);
  });

  it('passes again once the digest is sent', async () => {
    const { tableName, digests } = await tableWithCountedWindow(15 + 45);
    for await (const due of digests.dueDigests(NOW.getTime())) {
      const claim = await digests.claimDigest(due, NOW.getTime() + MINUTE, NOW.getTime());
      if (claim !== undefined) await digests.markDigestSent(claim);
    }

    expect((await checkOn(tableName).run(NOW)).ok).toBe(true);
  });
});
