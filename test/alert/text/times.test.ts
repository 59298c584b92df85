import { describe, expect, it } from 'vitest';
import { utcText } from '../../../src/alert/text/times.js';

describe('Function: utcText', () => {
  it('prints a time in UTC to the second, as alerts and digests do', () => {
    expect(utcText(new Date('2026-03-01T04:14:15+01:00'))).toBe('2026-03-01T03:14:15Z');
    expect(utcText(new Date('2026-03-01T03:14:15.999Z'))).toBe('2026-03-01T03:14:15Z');
    expect(utcText(Date.UTC(2026, 2, 1, 3, 14, 15))).toBe('2026-03-01T03:14:15Z');
  });

  it('keeps the milliseconds a time has when asked, as replay prints an event time', () => {
    expect(utcText(new Date('2026-03-01T03:14:15.250Z'), { fraction: 'kept' })).toBe(
      '2026-03-01T03:14:15.250Z',
    );
    expect(utcText(new Date('2026-03-01T03:14:15.000Z'), { fraction: 'kept' })).toBe(
      '2026-03-01T03:14:15Z',
    );
  });

  it('says Unknown for a time that is missing or no time', () => {
    expect(utcText(undefined)).toBe('Unknown');
    expect(utcText(Number.NaN)).toBe('Unknown');
    expect(utcText(Math.min())).toBe('Unknown');
    expect(utcText(new Date('not a date'), { fraction: 'kept' })).toBe('Unknown');
  });
});
