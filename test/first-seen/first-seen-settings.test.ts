import { describe, expect, it } from 'vitest';
import {
  FIRST_SEEN_BOUNDS,
  FIRST_SEEN_DEFAULTS,
} from '../../src/first-seen/first-seen-settings.js';
import { readSettings, SettingsError } from '../../src/settings.js';
import { environmentOf, loadTemplate, resourceOf } from '../deploy/cloudformation-template.js';
import { REQUIRED_SETTINGS } from '../support/required-settings.js';

describe('FIRST_SEEN_DAYS: days to remember sources, then days to learn them', () => {
  it('defaults to 90 days remembered and 7 learning, when unset or blank', () => {
    expect(FIRST_SEEN_DEFAULTS).toEqual({ days: 90, learningDays: 7 });
    expect(readSettings(REQUIRED_SETTINGS).firstSeen).toEqual(FIRST_SEEN_DEFAULTS);
    expect(readSettings({ ...REQUIRED_SETTINGS, FIRST_SEEN_DAYS: ' ' }).firstSeen).toEqual(
      FIRST_SEEN_DEFAULTS,
    );
  });

  it.each([
    ['30/0', { days: 30, learningDays: 0 }],
    [' 3650/365 ', { days: 3650, learningDays: 365 }],
    ['1/14', { days: 1, learningDays: 14 }],
  ])('reads %j', (value, settings) => {
    expect(readSettings({ ...REQUIRED_SETTINGS, FIRST_SEEN_DAYS: value }).firstSeen).toEqual(
      settings,
    );
  });

  it.each(['90', '0/7', '3651/7', '90/366', '90/-1', '90/7.5', '90 / 7', '0x5a/7', 'ninety/7'])(
    'refuses %j, naming the variable, its form and its bounds',
    (value) => {
      expect(() => readSettings({ ...REQUIRED_SETTINGS, FIRST_SEEN_DAYS: value })).toThrow(
        SettingsError,
      );
      expect(() => readSettings({ ...REQUIRED_SETTINGS, FIRST_SEEN_DAYS: value })).toThrow(
        `FIRST_SEEN_DAYS must be DAYS/LEARNING_DAYS, such as 90/7: whole days to remember each source root used (1 to 3650), then whole days a new deployment learns them first (0 to 365); got ${JSON.stringify(value.trim())}`,
      );
    },
  );
});

describe('template.yaml gives the setting as the code reads it', () => {
  const template = loadTemplate('template.yaml');

  it('bounds and defaults its two parameters as the code does', () => {
    expect(template.Parameters?.FirstSeenDays).toMatchObject({
      Type: 'Number',
      Default: FIRST_SEEN_DEFAULTS.days,
      MinValue: FIRST_SEEN_BOUNDS.days.min,
      MaxValue: FIRST_SEEN_BOUNDS.days.max,
    });
    expect(template.Parameters?.FirstSeenLearningDays).toMatchObject({
      Type: 'Number',
      Default: FIRST_SEEN_DEFAULTS.learningDays,
      MinValue: FIRST_SEEN_BOUNDS.learningDays.min,
      MaxValue: FIRST_SEEN_BOUNDS.learningDays.max,
    });
  });

  it.each(['RootMonitorFunction', 'TrailFileFunction', 'GuardFunction'])(
    'hands both to %s, which judges root events, as DAYS/LEARNING_DAYS',
    (logicalId) => {
      expect(environmentOf(resourceOf(template, logicalId)).FIRST_SEEN_DAYS).toEqual({
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string
        'Fn::Sub': '${FirstSeenDays}/${FirstSeenLearningDays}',
      });
    },
  );
});
