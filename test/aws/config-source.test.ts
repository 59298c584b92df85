import { randomUUID } from 'node:crypto';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigSource, ConfigSourceError } from '../../src/aws/config-source.js';
import { jsonError } from '../support/fault-proxy.js';
import { clientsThrough } from '../support/faulty-clients.js';
import { useFaultProxy } from '../support/moto-behind-fault-proxy.js';

const proxy = useFaultProxy();

const MAX_AGE_SECONDS = 60;

const prefix = (): string => `/root-monitor-test-${randomUUID().slice(0, 8)}`;

const put = async (client: SSMClient, name: string, value: string): Promise<void> => {
  await client.send(
    new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }),
  );
};

/** SSM throttles every request from now on, in its JSON protocol's shape. */
const ssmThrottles = (): void =>
  proxy.setRule((request) =>
    request.service === 'ssm' ? jsonError('ThrottlingException', 'Rate exceeded', 400) : undefined,
  );

/** SSM reached through the fault proxy, one attempt a call: each call is one request. */
const proxiedSsm = (): SSMClient => clientsThrough(proxy, { maxAttempts: 1 }).ssm;

/** The requests SSM received so far; compare before and after, the record runs on. */
const ssmRequests = (): number => proxy.seen.filter(({ service }) => service === 'ssm').length;

/** Moves the clock Powertools' cache reads, leaving real timers to the SDK. */
const advanceSeconds = (seconds: number): void => {
  vi.setSystemTime(Date.now() + seconds * 1000);
};

describe('ConfigSource', () => {
  let client: SSMClient;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    client = new SSMClient();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const sourceFor = (parameter: string, ssm: SSMClient = client): ConfigSource =>
    new ConfigSource({ parameter, maxAgeSeconds: MAX_AGE_SECONDS, client: ssm });

  describe('Method: load', () => {
    it('reads one parameter as one document named after it, without parsing it', async () => {
      const name = `${prefix()}/config`;
      await put(client, name, '{"version": 1, not json');

      const load = await sourceFor(name).load();

      expect(load).toEqual({
        documents: [{ source: name, text: '{"version": 1, not json' }],
        missing: false,
        stale: false,
        readAt: Date.now(),
      });
    });

    it('reads every parameter under a path, recursively, in name order', async () => {
      const root = prefix();
      await put(client, `${root}/config/team-b`, 'B');
      await put(client, `${root}/config/team-a`, 'A');
      await put(client, `${root}/config/team-a/extra`, 'A2');
      await put(client, `${root}/config-elsewhere`, 'not under the path');

      const load = await sourceFor(`${root}/config/`).load();

      expect(load.documents).toEqual([
        { source: `${root}/config/team-a`, text: 'A' },
        { source: `${root}/config/team-a/extra`, text: 'A2' },
        { source: `${root}/config/team-b`, text: 'B' },
      ]);
      expect(load.missing).toBe(false);
    });

    it('sees an edit in SSM once the cached copy is older than maxAge, not before', async () => {
      const name = `${prefix()}/config`;
      await put(client, name, 'before');
      const source = sourceFor(name);
      await source.load();
      await put(client, name, 'after');

      advanceSeconds(MAX_AGE_SECONDS - 1);
      const cached = await source.load();
      advanceSeconds(2);
      const refreshed = await source.load();

      expect(cached.documents[0]?.text).toBe('before');
      expect(refreshed.documents[0]?.text).toBe('after');
    });

    it('reports a missing parameter as no documents, and asks again only after maxAge', async () => {
      const name = `${prefix()}/config`;
      const source = sourceFor(name);

      const first = await source.load();
      const readFirst = Date.now();
      await put(client, name, 'created');
      const held = await source.load();
      advanceSeconds(MAX_AGE_SECONDS + 1);
      const later = await source.load();

      expect(first).toEqual({ documents: [], missing: true, stale: false, readAt: readFirst });
      expect(held).toEqual(first);
      expect(later.documents).toEqual([{ source: name, text: 'created' }]);
    });

    it('reports an empty path as missing', async () => {
      const load = await sourceFor(`${prefix()}/config/`).load();

      expect(load).toEqual({ documents: [], missing: true, stale: false, readAt: Date.now() });
    });

    it('dates the documents by the SSM read, not by answers from the cache', async () => {
      const name = `${prefix()}/config`;
      await put(client, name, 'good');
      const source = sourceFor(name);
      const readAt = Date.now();

      const first = await source.load();
      advanceSeconds(MAX_AGE_SECONDS - 1);
      const cached = await source.load();
      advanceSeconds(2);
      const reread = await source.load();

      expect(first.readAt).toBe(readAt);
      expect(cached.readAt).toBe(readAt);
      expect(reread.readAt).toBe(Date.now());
    });

    it('dates stale documents by the last read that succeeded', async () => {
      const name = `${prefix()}/config`;
      await put(client, name, 'good');
      const source = sourceFor(name, proxiedSsm());
      const { readAt } = await source.load();
      ssmThrottles();

      advanceSeconds(MAX_AGE_SECONDS + 1);
      const failed = await source.load();
      advanceSeconds(MAX_AGE_SECONDS + 1);
      const stillFailing = await source.load();

      expect(failed).toMatchObject({ stale: true, readAt });
      expect(stillFailing).toMatchObject({ stale: true, readAt });
    });

    it('keeps the last good documents when a refresh fails, says why, and since when', async () => {
      const name = `${prefix()}/config`;
      await put(client, name, 'good');
      const source = sourceFor(name, proxiedSsm());
      await source.load();
      const readGood = Date.now();
      ssmThrottles();
      const requestsBefore = ssmRequests();

      advanceSeconds(MAX_AGE_SECONDS + 1);
      const failed = await source.load();
      const again = await source.load();

      expect(failed).toMatchObject({
        documents: [{ source: name, text: 'good' }],
        missing: false,
        stale: true,
        readAt: readGood,
      });
      expect(failed.stale && failed.error.message).toBe(
        `Cannot read configuration parameter ${name}: ThrottlingException: Rate exceeded`,
      );
      // A failing SSM is not asked again on every event until maxAge has passed.
      expect(again).toBe(failed);
      expect(ssmRequests() - requestsBefore).toBe(1);

      proxy.setRule(() => undefined);
      advanceSeconds(MAX_AGE_SECONDS + 1);
      expect(await source.load()).toMatchObject({ stale: false });
    });

    it('rejects, naming the parameter, when nothing was ever read', async () => {
      const name = `${prefix()}/config`;
      ssmThrottles();

      const load = sourceFor(name, proxiedSsm()).load();

      await expect(load).rejects.toBeInstanceOf(ConfigSourceError);
      await expect(load).rejects.toThrow(`Cannot read configuration parameter ${name}`);
    });

    it('holds a failure with nothing to fall back on for maxAge, not asking SSM per event', async () => {
      ssmThrottles();
      const source = sourceFor(`${prefix()}/config`, proxiedSsm());
      const requestsBefore = ssmRequests();

      await expect(source.load()).rejects.toBeInstanceOf(ConfigSourceError);
      await expect(source.load()).rejects.toBeInstanceOf(ConfigSourceError);

      expect(ssmRequests() - requestsBefore).toBe(1);
    });
  });
});
