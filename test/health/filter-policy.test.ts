import { describe, expect, it } from 'vitest';
import { filterAdmits, matchesNothing } from '../../src/health/filter-policy.js';
import { sameJson } from '../../src/health/same-json.js';
import { MONITOR_MESSAGES } from '../../src/health/subscribers.js';

const CRITICAL = {
  severity: { value: 'CRITICAL' },
  service: { value: 'root-monitor' },
  rule_id: 'any',
} as const;

describe('Filter policies against what the monitor sends', () => {
  it.each([
    [{ severity: ['CRITICAL'] }, 'yes'],
    [{ severity: ['NONE'] }, 'no'],
    [{ severity: [{ 'anything-but': ['LOW'] }] }, 'yes'],
    [{ severity: [{ 'anything-but': ['CRITICAL'] }] }, 'no'],
    [{ severity: [{ prefix: 'CRIT' }] }, 'yes'],
    [{ severity: [{ 'equals-ignore-case': 'critical' }] }, 'yes'],
    [{ severity: [{ numeric: ['>', 0] }] }, 'no'],
    [{ rule_id: ['root-console-login'] }, 'yes'],
    [{ team: ['soc'] }, 'no'],
    [{ team: [{ exists: false }] }, 'yes'],
    [{ $or: [{ severity: ['NONE'] }, { service: ['root-monitor'] }] }, 'yes'],
    [{ severity: [{ wildcard: 'C*' }] }, 'maybe'],
  ])('%j lets a CRITICAL alert through: %s', (policy, expected) => {
    expect(filterAdmits(policy, 'MessageAttributes', CRITICAL)).toBe(expected);
  });

  it('finds that a policy naming no severity the monitor uses, nor an alarm, matches nothing', () => {
    expect(matchesNothing({ severity: ['NONE'] }, 'MessageAttributes', MONITOR_MESSAGES)).toBe(
      true,
    );
    expect(
      matchesNothing({ severity: [{ exists: false }] }, 'MessageAttributes', MONITOR_MESSAGES),
    ).toBe(false);
    expect(matchesNothing({ severity: ['LOW'] }, 'MessageAttributes', MONITOR_MESSAGES)).toBe(
      false,
    );
  });

  it('does not claim a body-scoped policy matches nothing: it is not modelled', () => {
    expect(matchesNothing({ severity: ['NONE'] }, 'MessageBody', MONITOR_MESSAGES)).toBe(false);
  });

  it('compares policies whatever the order of their keys', () => {
    expect(sameJson({ a: ['x'], b: ['y'] }, { b: ['y'], a: ['x'] })).toBe(true);
    expect(sameJson({ a: ['x', 'y'] }, { a: ['y', 'x'] })).toBe(false);
  });
});
