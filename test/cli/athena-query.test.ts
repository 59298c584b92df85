import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootRecord, rootSignIn } from '../../rules/cases.js';
import { COLUMN_INFO, HEADER, rowOf } from '../support/athena-rows.js';
import { useMoto } from '../support/aws-env.js';
import { runCli } from './run-cli.js';

const moto = useMoto();

/** In the query's order (`ORDER BY eventtime, eventid`), as Athena answers them. */
const RECORDS = [
  rootSignIn({ eventID: 'athena-1', additionalEventData: { MFAUsed: 'No' } }),
  rootRecord({
    eventID: 'athena-4',
    eventName: 'CreateAccessKey',
    userIdentity: {
      type: 'Root',
      arn: 'arn:aws:iam::111122223333:root',
      invokedBy: 'signin.amazonaws.com',
    },
    sessionCredentialFromConsole: 'true',
  }),
  rootRecord({ eventID: 'athena-2', eventTime: '2026-03-14T03:00:00Z' }),
  rootRecord({ eventID: 'athena-3', eventTime: '2026-03-14T03:01:00Z' }),
];

/** Queues the rows moto's Athena answers the next query with (moto runs no SQL). */
const cannedResults = async (records: readonly Record<string, unknown>[]): Promise<void> => {
  const response = await fetch(`${moto}/moto-api/static/athena/query-results`, {
    method: 'POST',
    body: JSON.stringify({
      results: [
        {
          rows: [HEADER, ...records.map(rowOf)],
          column_info: COLUMN_INFO,
        },
      ],
    }),
  });
  expect(response.status).toBe(201);
};

/**
 * A proxy in front of moto that rewrites Athena's answers: `rewrite` gets the X-Amz-Target and
 * the request and answer bodies, and returns the answer to send.
 */
const athenaProxy = async (
  rewrite: (
    target: string,
    request: Record<string, unknown>,
    answer: Record<string, unknown>,
  ) => unknown,
) => {
  const targets: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const target = String(req.headers['x-amz-target'] ?? '');
    targets.push(target);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(
        ([name]) => !['host', 'content-length', 'connection'].includes(name),
      ),
    ) as Record<string, string>;
    const request = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
    const forwarded =
      target === 'AmazonAthena.GetQueryResults'
        ? JSON.stringify({ QueryExecutionId: request.QueryExecutionId })
        : body;
    const answer = await fetch(`${moto}${req.url}`, {
      method: req.method,
      headers,
      ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: forwarded }),
    });
    const text = await answer.text();
    let out = text;
    if (answer.ok && target.startsWith('AmazonAthena.')) {
      out = JSON.stringify(rewrite(target, request, JSON.parse(text) as Record<string, unknown>));
    }
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
    });
    res.end(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    targets,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** Runs the CLI against another endpoint (the proxy) than the run's moto. */
const runVia = async (endpoint: string, args: readonly string[]) => {
  const saved = process.env.AWS_ENDPOINT_URL;
  process.env.AWS_ENDPOINT_URL = endpoint;
  try {
    return await runCli(args);
  } finally {
    process.env.AWS_ENDPOINT_URL = saved;
  }
};

const QUERY = [
  'athena',
  'query',
  '--database',
  'security',
  '--table',
  'cloudtrail_org',
  '--since',
  '2026-03-14',
  '--until',
  '2026-03-14',
  '--output',
  's3://athena-results/root-monitor/',
];

/** Asks moto to walk each query through QUEUED and RUNNING on successive status checks. */
const setTransition = (transition: object | undefined) =>
  fetch(`${moto}/moto-api/state-manager/${transition === undefined ? 'unset' : 'set'}-transition`, {
    method: 'POST',
    body: JSON.stringify({
      model_name: 'athena::execution',
      ...(transition === undefined ? {} : { transition }),
    }),
  });

describe('root-monitor athena query (moto)', () => {
  let replayed: string;
  beforeAll(async () => {
    await new S3Client().send(new CreateBucketCommand({ Bucket: 'athena-results' }));
    const file = join(mkdtempSync(join(tmpdir(), 'athena-')), 'records.json');
    writeFileSync(file, JSON.stringify({ Records: RECORDS }));
    replayed = (await runCli(['replay', '--format', 'json', file])).stdout;
    await setTransition({ progression: 'manual', times: 2 });
  });
  afterAll(async () => {
    await setTransition(undefined);
  });

  it('starts the query, polls until it succeeds, and prints each row as replay prints its record', async () => {
    await cannedResults(RECORDS);

    const result = await runCli([...QUERY, '--format', 'json']);

    expect(result.stderr).toContain('root event');
    expect(result.status).toBe(0);
    expect(replayed.split('\n').length).toBeGreaterThan(2);
    expect(result.stdout).toBe(replayed);
  });

  it('pages through the results, however few rows Athena gives per page', async () => {
    await cannedResults(RECORDS);
    const proxy = await athenaProxy((target, request, answer) => {
      if (target !== 'AmazonAthena.GetQueryResults') return answer;
      const rows = (answer.ResultSet as { Rows: unknown[] }).Rows;
      const start = Number(request.NextToken ?? 0);
      return {
        ...answer,
        ResultSet: { ...(answer.ResultSet as object), Rows: rows.slice(start, start + 2) },
        ...(start + 2 < rows.length ? { NextToken: String(start + 2) } : {}),
      };
    });
    try {
      const result = await runVia(proxy.endpoint, [...QUERY, '--format', 'json']);

      expect(result.status).toBe(0);
      expect(result.stdout).toBe(replayed);
      expect(proxy.targets.filter((t) => t === 'AmazonAthena.GetQueryResults')).toHaveLength(3);
    } finally {
      await proxy.close();
    }
  });

  it("fails with Athena's reason when the query fails, printing nothing", async () => {
    const reason = "SYNTAX_ERROR: line 4:6: Table 'security.cloudtrail_org' does not exist";
    const proxy = await athenaProxy((target, _request, answer) => {
      if (target !== 'AmazonAthena.GetQueryExecution') return answer;
      const execution = answer.QueryExecution as Record<string, unknown>;
      return {
        QueryExecution: { ...execution, Status: { State: 'FAILED', StateChangeReason: reason } },
      };
    });
    try {
      const result = await runVia(proxy.endpoint, [...QUERY, '--format', 'json']);

      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /Athena query [0-9a-f-]+ FAILED: SYNTAX_ERROR: line 4:6: Table/,
      );
      expect(proxy.targets).not.toContain('AmazonAthena.GetQueryResults');
    } finally {
      await proxy.close();
    }
  });

  it("sends the generated SQL: the day range, and the engine's root-usage condition", async () => {
    await cannedResults([]);
    const seen: string[] = [];
    const proxy = await athenaProxy((target, request, answer) => {
      if (target === 'AmazonAthena.StartQueryExecution') seen.push(String(request.QueryString));
      return answer;
    });
    try {
      const result = await runVia(proxy.endpoint, [...QUERY, '--accounts', '111122223333']);

      expect(result.status).toBe(0);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toContain(`"day" BETWEEN '2026/03/14' AND '2026/03/14'`);
      expect(seen[0]).toContain(`account IN ('111122223333')`);
      expect(seen[0]).toContain(`useridentity.type = 'Root'`);
    } finally {
      await proxy.close();
    }
  });
});
