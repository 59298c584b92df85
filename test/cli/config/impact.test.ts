import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { rootRecord } from '../../../rules/cases.js';
import type { CloudTrailRecord } from '../../../src/intake/trail-event.js';
import { COLUMN_INFO, HEADER, rowOf } from '../../support/athena-rows.js';
import type { FaultAnswer, ProxiedRequest } from '../../support/fault-proxy.js';
import { useFaultProxy } from '../../support/moto-behind-fault-proxy.js';
import { runCli } from '../run-cli.js';

const proxy = useFaultProxy();

/** Runs the CLI through the fault proxy, which answers what moto lacks. */
const runViaProxy = async (args: readonly string[]) => {
  const saved = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = proxy.endpoint;
  try {
    return await runCli(args);
  } finally {
    process.env.AWS_ENDPOINT_URL = saved;
  }
};

const hoursAgo = (hours: number): string =>
  `${new Date(Date.now() - hours * 3_600_000).toISOString().slice(0, 19)}Z`;

/** Root's billing task every day, and root reading IAM, from one address. */
const HISTORY: CloudTrailRecord[] = Array.from({ length: 60 }, (_, i) =>
  rootRecord({
    eventID: `history-${i}`,
    eventTime: hoursAgo(60 - i),
    ...(i % 3 === 0
      ? { eventName: 'GetBillingData', eventSource: 'billing.amazonaws.com' }
      : { eventName: 'ListUsers', eventSource: 'iam.amazonaws.com' }),
    sourceIPAddress: '203.0.113.7',
  }),
);

/**
 * CloudTrail's LookupEvents answer, as the API reference documents it (moto has no LookupEvents):
 * JSON 1.1, `Events` with each record as the `CloudTrailEvent` string, at most 50 a page, and a
 * `NextToken` while more remain. Root's own calls answer a lookup of `Username` `root`; nothing
 * answers `EventName` `AssumeRoot` here.
 */
const eventHistory = (records: readonly CloudTrailRecord[]) => (request: ProxiedRequest) => {
  if (request.service !== 'cloudtrail' || !request.operation.endsWith('LookupEvents')) {
    return undefined;
  }
  const body = JSON.parse(request.body) as {
    LookupAttributes?: { AttributeKey: string; AttributeValue: string }[];
    NextToken?: string;
  };
  const [lookup] = body.LookupAttributes ?? [];
  const matching = lookup?.AttributeKey === 'Username' ? records : [];
  const start = Number(body.NextToken ?? '0');
  const page = matching.slice(start, start + 50);
  const answer: FaultAnswer = {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({
      Events: page.map((record) => ({
        EventId: record.eventID,
        EventName: record.eventName,
        EventSource: record.eventSource,
        EventTime: Date.parse(String(record.eventTime)) / 1000,
        Username: 'root',
        Resources: [],
        CloudTrailEvent: JSON.stringify(record),
      })),
      ...(start + 50 < matching.length ? { NextToken: String(start + 50) } : {}),
    }),
  };
  return answer;
};

const BILLING_ENTRY = {
  id: 'billing-task',
  reason: 'The billing team, ticket SEC-42',
  eventNames: ['GetBillingData'],
  eventSources: ['billing.amazonaws.com'],
};

/** A stored document and a local one to push in its place. */
const documents = async (stored: object, local: object) => {
  const parameter = `/root-monitor-${randomUUID().slice(0, 8)}/config`;
  await new SSMClient().send(
    new PutParameterCommand({ Name: parameter, Type: 'String', Value: JSON.stringify(stored) }),
  );
  const file = join(mkdtempSync(join(tmpdir(), 'root-monitor-impact-')), 'config.json');
  writeFileSync(file, JSON.stringify(local));
  return { parameter, file };
};

const lookups = () =>
  proxy.seen.filter(({ operation }) => operation.endsWith('LookupEvents')).length;

describe('root-monitor config diff --history: an allowlist change’s effect before it is pushed (LookupEvents answered by the proxy)', () => {
  it('lists every root event of the last days that the new document would no longer alert, reading every page', async () => {
    proxy.setRule(eventHistory(HISTORY));
    const { parameter, file } = await documents(
      { version: 1 },
      { version: 1, allow: [BILLING_ENTRY] },
    );
    const before = lookups();

    const result = await runViaProxy([
      'config',
      'diff',
      '--parameter',
      parameter,
      '--history',
      '30',
      '--regions',
      'us-east-1',
      file,
    ]);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    // Two pages of root's calls, and one lookup of root sessions issued.
    expect(lookups() - before).toBe(3);
    const lines = result.stdout.split('\n');
    expect(lines).toContain(
      'Root events of the last 30 days (CloudTrail event history, us-east-1): 60 read, 20 decided otherwise by the new document, 20 of them no longer alerted.',
    );
    const listed = lines.filter((line) => line.includes('eventID history-'));
    expect(listed).toHaveLength(20);
    for (const line of listed) {
      expect(line).toContain('alert HIGH (root-activity) -> allowlisted by "billing-task"');
      expect(line).toContain('GetBillingData');
    }
  });

  it('lists the events a narrowing document would alert again, and nothing when both decide alike', async () => {
    proxy.setRule(eventHistory(HISTORY));
    const narrowing = await documents({ version: 1, allow: [BILLING_ENTRY] }, { version: 1 });
    const same = await documents({ version: 1 }, { version: 1, dedupMinutes: 30 });

    const diffOf = ({ parameter, file }: { parameter: string; file: string }) =>
      runViaProxy(['config', 'diff', '--parameter', parameter, '--history', '3', file]);
    const [narrowed, unchanged] = await Promise.all([diffOf(narrowing), diffOf(same)]);

    expect(narrowed.status).toBe(1);
    expect(narrowed.stdout).toContain('20 decided otherwise by the new document.');
    expect(narrowed.stdout).toContain(
      'allowlisted by "billing-task" -> alert HIGH (root-activity)',
    );
    expect(unchanged.stdout).toContain('60 read, 0 decided otherwise by the new document.');
  });

  it('config push of a widening document prints what it would silence, then asks for --reason', async () => {
    proxy.setRule(eventHistory(HISTORY));
    const { parameter, file } = await documents(
      { version: 1 },
      { version: 1, allow: [BILLING_ENTRY] },
    );

    const refused = await runViaProxy(['config', 'push', '--parameter', parameter, file]);

    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('Root events of the last 7 days');
    expect(refused.stderr).toContain('20 of them no longer alerted');
    expect(refused.stderr).toContain('--reason TEXT is required');
  });

  it('pushes all the same when the event history cannot be read, saying so', async () => {
    proxy.setRule((request) =>
      request.operation.endsWith('LookupEvents')
        ? {
            status: 400,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: JSON.stringify({
              __type: 'AccessDeniedException',
              message: 'not authorized to perform: cloudtrail:LookupEvents',
            }),
          }
        : undefined,
    );
    const { parameter, file } = await documents(
      { version: 1 },
      { version: 1, allow: [BILLING_ENTRY] },
    );

    const pushed = await runViaProxy([
      'config',
      'push',
      '--parameter',
      parameter,
      '--reason',
      'SEC-42',
      file,
    ]);

    expect(pushed.status).toBe(0);
    expect(pushed.stderr).toContain(
      'warning: the root events of the last 7 days could not be read',
    );
    expect(pushed.stderr).toContain('AccessDeniedException');
  });

  it('refuses a history longer than the event history keeps, and options without --history', async () => {
    const { parameter, file } = await documents({ version: 1 }, { version: 1 });

    const tooLong = await runCli([
      'config',
      'diff',
      '--parameter',
      parameter,
      '--history',
      '91',
      file,
    ]);
    const alone = await runCli([
      'config',
      'diff',
      '--parameter',
      parameter,
      '--regions',
      'us-east-1',
      file,
    ]);

    expect(tooLong.status).toBe(2);
    expect(tooLong.stderr).toContain("CloudTrail's event history keeps 90; use --athena for more");
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain('--regions goes with --history DAYS');
  });
});

describe('root-monitor config diff --history --athena: the trail’s table, through the tested query flow (moto)', () => {
  it('judges the rows the query gives against both documents', async () => {
    const moto = process.env.AWS_ENDPOINT_URL ?? '';
    await new S3Client().send(new CreateBucketCommand({ Bucket: 'impact-results' }));
    // moto runs no SQL: it answers the next query with these rows.
    const canned = await fetch(`${moto}/moto-api/static/athena/query-results`, {
      method: 'POST',
      body: JSON.stringify({
        results: [
          {
            rows: [HEADER, ...HISTORY.slice(0, 9).map(rowOf)],
            column_info: COLUMN_INFO,
          },
        ],
      }),
    });
    expect(canned.status).toBe(201);
    const { parameter, file } = await documents(
      { version: 1 },
      { version: 1, allow: [BILLING_ENTRY] },
    );

    const result = await runCli([
      'config',
      'diff',
      '--parameter',
      parameter,
      '--history',
      '400',
      '--athena',
      '--database',
      'security',
      '--output',
      's3://impact-results/root-monitor/',
      file,
    ]);

    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(
      'Root events of the last 400 days (Athena table security.cloudtrail_logs): 9 read, 3 decided otherwise by the new document, 3 of them no longer alerted.',
    );
  });
});
