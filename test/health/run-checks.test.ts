import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import { Trails } from '../../src/aws/health/trails.js';
import type { Check } from '../../src/health/check.js';
import { runChecks } from '../../src/health/run-checks.js';
import { trailCheck } from '../../src/health/trail.js';

const passing: Check = {
  id: 'config',
  actions: ['ssm:GetParameter'],
  run: async () => ({ ok: true, verdict: 'fine' }),
};

describe('runChecks', () => {
  it('answers in the order given, whatever order the checks finish in', async () => {
    const slow: Check = {
      id: 'trail',
      actions: [],
      run: () =>
        new Promise((resolve) => setTimeout(() => resolve({ ok: true, verdict: 'slow' }), 20)),
    };

    const results = await runChecks([slow, passing], new Date());

    expect(results.map(({ id }) => id)).toEqual(['trail', 'config']);
  });

  it('fails a check whose API cannot be reached, naming the error and the actions it needs', async () => {
    // Nothing listens on port 9 of the loopback: the SDK's own connection error, with no retries.
    const unreachable = new CloudTrailClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });

    const [result] = await runChecks([trailCheck(new Trails(unreachable)), passing], new Date());

    expect(result).toMatchObject({
      id: 'trail',
      ok: false,
      verdict: expect.stringMatching(/^could not check: \w+/),
      fix: 'let the caller use cloudtrail:DescribeTrails, cloudtrail:GetTrailStatus, cloudtrail:GetEventSelectors, and check that the API answers',
    });
  });
});
