import { randomUUID } from 'node:crypto';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../rules/index.js';
import { ConfigSource } from '../../src/aws/config-source.js';
import { configCheck } from '../../src/health/config.js';
import { useMoto } from '../support/aws-env.js';

useMoto();

const ssm = new SSMClient();

const put = (name: string, value: string) =>
  ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }));

const checkOf = (configParameter: string) =>
  configCheck(new ConfigSource({ parameter: configParameter, maxAgeSeconds: 0, client: ssm }), {
    configParameter,
    catalog: CATALOG,
  });

const ENTRY = {
  id: 'billing',
  reason: 'Quarterly billing task',
  eventNames: ['GetBillingData'],
};

describe('Check: config', () => {
  it('passes for a valid document, counting its entries', async () => {
    const name = `/root-monitor/${randomUUID()}/config`;
    await put(name, JSON.stringify({ version: 1, allow: [ENTRY] }));

    expect(await checkOf(name).run(new Date())).toEqual({
      ok: true,
      verdict: `${name} is valid: 1 allowlist entry`,
    });
  });

  it('passes with the warning for an expired entry', async () => {
    const name = `/root-monitor/${randomUUID()}/config`;
    await put(
      name,
      JSON.stringify({ version: 1, allow: [{ ...ENTRY, expires: '2020-01-01T00:00:00Z' }] }),
    );

    const finding = await checkOf(name).run(new Date());

    expect(finding).toMatchObject({ ok: true, verdict: expect.stringContaining('1 warning') });
  });

  it('fails for an invalid document, quoting the first problem', async () => {
    const name = `/root-monitor/${randomUUID()}/config`;
    await put(
      name,
      JSON.stringify({ version: 1, allow: [{ ...ENTRY, sourceIps: ['0.0.0.0/0'] }] }),
    );

    const finding = await checkOf(name).run(new Date());

    expect(finding).toMatchObject({
      ok: false,
      verdict: expect.stringMatching(
        /is invalid \(1 problem, the first: .*sourceIps\[0\].*every root event alerts$/,
      ),
      fix: expect.stringContaining(`root-monitor config show --parameter ${name}`),
    });
  });

  it('fails for a document that is not JSON', async () => {
    const name = `/root-monitor/${randomUUID()}/config`;
    await put(name, '{"version": 1,');

    expect((await checkOf(name).run(new Date())).ok).toBe(false);
  });

  it('fails when the parameter is gone', async () => {
    const name = `/root-monitor/${randomUUID()}/config`;

    expect(await checkOf(name).run(new Date())).toMatchObject({
      ok: false,
      verdict: `${name} holds no configuration document: the monitor runs on its defaults (nothing allowlisted)`,
      fix: expect.stringContaining(`root-monitor config push --parameter ${name} FILE`),
    });
  });

  it('validates every document under a path together, as the function merges them', async () => {
    const path = `/root-monitor/${randomUUID()}/`;
    await put(`${path}team-a`, JSON.stringify({ version: 1, allow: [ENTRY] }));
    await put(`${path}team-b`, JSON.stringify({ version: 1, allow: [ENTRY] }));

    const finding = await checkOf(path).run(new Date());

    expect(finding).toMatchObject({ ok: false, verdict: expect.stringContaining('billing') });
  });
});
