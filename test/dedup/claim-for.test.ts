import { describe, expect, it } from 'vitest';
import { rootRecord } from '../../rules/cases.js';
import { CATALOG } from '../../rules/index.js';
import { defaultConfigFor } from '../../src/config/default-config.js';
import { claimFor } from '../../src/dedup/claim-for.js';
import { MemoryDedupStore } from '../../src/dedup/memory-store.js';
import { decide } from '../../src/engine/decide.js';
import { toTrailEvent } from '../../src/intake/trail-event.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const LEASE_UNTIL = NOW.getTime() + 60_000;

const alertAt = (eventTime: string | undefined, eventID: string) => {
  const decision = decide(
    toTrailEvent(rootRecord({ eventTime, eventID })),
    CATALOG,
    defaultConfigFor(CATALOG),
    { monitor: {} },
    NOW,
  );
  if (decision.kind !== 'alert') throw new Error('expected an alert');
  return decision;
};

describe('claimFor', () => {
  it('opens the window at the event time, for the configured length', () => {
    const claim = claimFor(alertAt('2026-05-01T11:00:00Z', 'e1'), NOW, LEASE_UNTIL);
    expect(claim.at).toBe(Date.parse('2026-05-01T11:00:00Z'));
    expect(claim.until - claim.at).toBe(15 * 60_000);
  });

  it('gives every claim its own token and the lease it is given', () => {
    const alert = alertAt('2026-05-01T11:00:00Z', 'e1');
    const [first, second] = [claimFor(alert, NOW, LEASE_UNTIL), claimFor(alert, NOW, LEASE_UNTIL)];
    expect(first.token).not.toBe(second.token);
    expect(first).toMatchObject({ leaseUntil: LEASE_UNTIL, now: NOW.getTime() });
  });

  it('uses the clock for an event without eventTime', () => {
    expect(claimFor(alertAt(undefined, 'e1'), NOW, LEASE_UNTIL).at).toBe(NOW.getTime());
  });

  it('never opens a window in the future, so a misdated event cannot silence a key', async () => {
    const store = new MemoryDedupStore();
    const forged = claimFor(alertAt('2099-01-01T00:00:00Z', 'forged'), NOW, LEASE_UNTIL);
    expect(forged.at).toBe(NOW.getTime());
    await store.claim(forged);
    await store.markSent(forged);

    const later = new Date(NOW.getTime() + 16 * 60_000);
    const real = claimFor(alertAt(later.toISOString(), 'real'), later, later.getTime() + 60_000);
    expect((await store.claim(real)).kind).toBe('claimed');
  });
});
