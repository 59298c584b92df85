import { EC2Client } from '@aws-sdk/client-ec2';
import {
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  type RuleState,
} from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { EventRules } from '../../src/aws/health/event-rules.js';
import { AccountRegions } from '../../src/aws/health/regions.js';
import { regionsCheck } from '../../src/health/regions.js';
import { useMoto } from '../support/aws-env.js';
import { freshAccountId, inAccount } from '../support/moto-account.js';

useMoto();

const HOME = 'us-east-1';

/**
 * A fresh account with a forwarder (as infra/region-forwarder.yaml makes it: an unnamed rule on
 * the default bus targeting the home bus) in every enabled Region but the home one, unless
 * `forwarders` says otherwise for a Region: a state, or null for none.
 */
const accountWith = async (
  forwarders: Record<string, RuleState | null>,
  excludedRegions: string[] = [],
) => {
  const account = freshAccountId();
  const homeBusArn = `arn:aws:events:${HOME}:${account}:event-bus/default`;
  const clientFor = (region: string) => inAccount(new EventBridgeClient({ region }), account);
  const regions = new AccountRegions(inAccount(new EC2Client({ region: HOME }), account));
  const enabled = await regions.enabledRegions();
  const forward = async (region: string) => {
    const state =
      region in forwarders ? forwarders[region] : 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
    if (state === null || state === undefined) return;
    const events = clientFor(region);
    const name = `root-monitor-forwarder-RootUsageForwardingRule-${region}`;
    await events.send(
      new PutRuleCommand({
        Name: name,
        EventPattern: JSON.stringify({ detail: { userIdentity: { type: ['Root'] } } }),
        State: state,
      }),
    );
    await events.send(
      new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'root-monitor-bus', Arn: homeBusArn }] }),
    );
  };
  await Promise.all(enabled.filter((name) => name !== HOME).map(forward));
  const check = regionsCheck(regions, new EventRules(clientFor), {
    homeRegion: HOME,
    homeBusArn,
    excludedRegions,
  });
  return { check, enabled };
};

describe('Check: regions', () => {
  it('passes when every enabled Region forwards to the home bus', async () => {
    const { check, enabled } = await accountWith({});

    const finding = await check.run(new Date());

    expect(finding).toEqual({
      ok: true,
      verdict: `all ${enabled.length - 1} enabled Regions besides ${HOME} forward root events to it`,
    });
  });

  it('fails naming a Region without a forwarder and one whose forwarder is disabled', async () => {
    const { check } = await accountWith({ 'eu-west-1': null, 'ap-south-1': 'DISABLED' });

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringMatching(
        /^2 of \d+ enabled Regions do not forward root events to us-east-1, so root activity there is never alerted: root-monitor-forwarder-RootUsageForwardingRule-ap-south-1 is DISABLED in ap-south-1; no forwarder rule in eu-west-1$/,
      ),
      fix: expect.stringContaining('infra/region-forwarder.yaml'),
    });
  });

  it('passes when the only Region without a forwarder is excluded on purpose, and says so', async () => {
    const { check } = await accountWith({ 'eu-west-1': null }, ['eu-west-1']);

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: true,
      verdict: expect.stringContaining('excluded on purpose: eu-west-1'),
    });
  });

  it('fails for a forwarder that skips read-only calls, as the rule check does at home', async () => {
    const { check } = await accountWith({ 'eu-west-1': 'ENABLED' });

    const finding = await check.run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringContaining('is ENABLED, which skips read-only calls'),
    });
  });

  it('counts only enabled Regions: an opt-in Region the account has not enabled needs no forwarder', async () => {
    const { enabled } = await accountWith({});

    // moto lists opt-in Regions (ap-east-1, me-south-1...) as not opted in.
    expect(enabled).toContain('eu-west-1');
    expect(enabled).not.toContain('ap-east-1');
  });
});
