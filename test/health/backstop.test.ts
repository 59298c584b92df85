import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { MonitorStack } from '../../src/aws/health/monitor-stack.js';
import { backstopCheck } from '../../src/health/backstop.js';
import { useMoto } from '../support/aws-env.js';
import { deployTemplateResources, standInFunctions } from '../support/monitor-cloudformation.js';
import { freshAccountId, inAccount } from '../support/moto-account.js';

useMoto();

/** The stack, with or without the backstop, as TrailBucketName decides. */
const stackWith = async (trailBucketName: string) => {
  const account = freshAccountId();
  const { stackName } = await deployTemplateResources(account, ['RuleDeadLetterQueue'], {
    parameters: { TrailBucketName: trailBucketName },
    replaced: standInFunctions('TrailFileFunction'),
  });
  return backstopCheck(new MonitorStack(inAccount(new CloudFormationClient(), account), stackName));
};

describe('Check: backstop', () => {
  it('says so when the backstop is off: one path only, and passes', async () => {
    const check = await stackWith('');

    expect(await check.run(new Date())).toMatchObject({
      ok: true,
      verdict: expect.stringMatching(
        /^off: one path only\. Root usage reaches you through EventBridge alone/,
      ),
    });
  });

  it('names the function and the bucket when it is on', async () => {
    const check = await stackWith('org-trail');

    expect(await check.run(new Date())).toMatchObject({
      ok: true,
      verdict: expect.stringMatching(
        /^on: two paths\. Besides EventBridge, root-monitor-\w+-trail-files reads every log file the trail writes to org-trail$/,
      ),
    });
  });
});
