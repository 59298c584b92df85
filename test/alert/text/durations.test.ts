import { describe, expect, it } from 'vitest';
import { durationText } from '../../../src/alert/text/durations.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('Function: durationText', () => {
  it.each([
    [0, '0 s'],
    [-5 * SECOND, '0 s'],
    [45 * SECOND, '45 s'],
    [59.4 * SECOND, '59 s'],
    [90 * SECOND, '2 min'],
    [12 * MINUTE, '12 min'],
    [59 * MINUTE + 29 * SECOND, '59 min'],
    [HOUR, '1 h 00 min'],
    [3 * HOUR + 5 * MINUTE, '3 h 05 min'],
    [47 * HOUR + 59 * MINUTE, '47 h 59 min'],
    [2 * DAY + 4 * HOUR + 30 * MINUTE, '2 d 4 h'],
  ])('abbreviates %d ms as %s, for digests', (ms, text) => {
    expect(durationText(ms)).toBe(text);
    expect(durationText(ms, 'abbreviated')).toBe(text);
  });

  it.each([
    [0, '0 seconds'],
    [SECOND, '1 second'],
    [42 * SECOND, '42 seconds'],
    [90 * SECOND, '1 minute'],
    [17 * MINUTE + 59 * SECOND, '17 minutes'],
    [HOUR, '1 hour'],
    [2 * HOUR + 5 * MINUTE, '2 hours 5 minutes'],
    [23 * HOUR + 59 * MINUTE, '23 hours 59 minutes'],
    [DAY, '1 day'],
    [3 * DAY + 4 * HOUR + 30 * MINUTE, '3 days 4 hours'],
  ])('writes %d ms in words as %s, for how late an alert is', (ms, text) => {
    expect(durationText(ms, 'words')).toBe(text);
  });
});
