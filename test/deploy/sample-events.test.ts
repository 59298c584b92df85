import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { isScheduledEvent } from '../../src/intake/eventbridge-envelope.js';
import { REPO_ROOT } from './cloudformation-template.js';

/** Addresses reserved for documentation (RFC 5737, RFC 3849): no real host is ever named. */
const DOCUMENTATION_RANGES = [
  '192.0.2.0/24',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '2001:db8::/32',
].map((range) => ipaddr.parseCIDR(range));

const FILES = readdirSync(join(REPO_ROOT, 'events')).filter((file) => file.endsWith('.json'));

const sample = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(REPO_ROOT, 'events', file), 'utf8'));

const detailOf = (file: string): Record<string, unknown> =>
  sample(file).detail as Record<string, unknown>;

/** Strictly an address: ipaddr.isValid also takes "0" or "1.09" (version fields) for IPv4. */
const isAddress = (text: string): boolean =>
  ipaddr.IPv4.isValidFourPartDecimal(text) || (text.includes(':') && ipaddr.IPv6.isValid(text));

/** Every string value anywhere in a value. */
const stringsIn = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
};

describe('events/', () => {
  it('holds one sample per scenario, each named after the decision it leads to', () => {
    expect(FILES.sort()).toEqual([
      'alert-access-key-created.json',
      'alert-assume-root-session.json',
      'alert-config-change-by-iam-user.json',
      'alert-console-access-key-created.json',
      'alert-console-login-failure.json',
      'alert-console-login-with-mfa.json',
      'alert-console-login-without-mfa.json',
      'alert-health-check-deleted.json',
      'alert-minimal-test-payload.json',
      'alert-read-only-call.json',
      'alert-stop-logging.json',
      'allowlisted-billing-task.json',
      'allowlisted-root-session-for-bucket-unlock.json',
      'digests-scheduled-run.json',
      'ignored-iam-user.json',
      'ignored-service-invoked.json',
    ]);
  });

  /** The samples of root-monitor's inputs that carry a CloudTrail event. */
  const EVENT_FILES = FILES.filter((file) => !file.startsWith('digests-'));

  it.each(EVENT_FILES.filter((file) => file !== 'alert-minimal-test-payload.json'))(
    '%s is an EventBridge envelope around a CloudTrail record of account 111122223333 in 2026',
    (file) => {
      const event = sample(file);
      const detail = detailOf(file);

      expect(event).toMatchObject({
        version: '0',
        account: '111122223333',
        region: detail.awsRegion,
      });
      expect(event['detail-type']).toMatch(/^AWS (API Call|Console Sign In) via CloudTrail$/);
      expect(detail).toMatchObject({ recipientAccountId: '111122223333' });
      expect(detail.eventTime).toMatch(/^2026-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(detail.eventID).toMatch(/^[0-9a-f-]{36}$/);
    },
  );

  it('keeps the hand-typed minimal payload as minimal as people type it', () => {
    expect(sample('alert-minimal-test-payload.json')).toEqual({
      detail: {
        userIdentity: { type: 'Root' },
        eventName: 'TestRootUsage',
        sourceIPAddress: '198.51.100.1',
      },
    });
  });

  it('gives the digest function what its schedule sends: a Scheduled Event, no constant input', () => {
    expect(isScheduledEvent(sample('digests-scheduled-run.json'))).toBe(true);
    expect(sample('digests-scheduled-run.json')).toMatchObject({ account: '111122223333' });
  });

  it.each(EVENT_FILES)('%s names only documentation addresses', (file) => {
    // All but the service-invoked sample (whose source is support.amazonaws.com) name one.
    expect(stringsIn(sample(file)).some(isAddress)).toBe(!file.startsWith('ignored-service'));
    const addresses = stringsIn(sample(file)).filter(isAddress);
    for (const address of addresses) {
      const parsed = ipaddr.parse(address);
      expect(
        DOCUMENTATION_RANGES.some(
          ([network, bits]) => parsed.kind() === network.kind() && parsed.match(network, bits),
        ),
        address,
      ).toBe(true);
    }
  });

  it('carry every kind of hostile text an alert must escape: line break, mention, markdown, ANSI', () => {
    const hostile = EVENT_FILES.map((file) => String(detailOf(file).userAgent ?? ''));

    expect(hostile.some((text) => text.includes('\n'))).toBe(true);
    expect(hostile.some((text) => text.includes('<!channel>'))).toBe(true);
    expect(hostile.some((text) => /\[[^\]]+\]\(https?:/.test(text))).toBe(true);
    expect(hostile.some((text) => text.includes('\u001b['))).toBe(true);
  });

  it('show both MFA spellings AWS uses on root sign-in', () => {
    const mfaOf = (file: string) =>
      (detailOf(file).additionalEventData as { MFAUsed: string }).MFAUsed;

    expect(mfaOf('alert-console-login-without-mfa.json')).toBe('No');
    expect(mfaOf('alert-console-login-with-mfa.json')).toBe('YES');
  });
});
