import { describe, expect, it } from 'vitest';
import { INPUT_SHAPES, type MonitorFunction } from '../../src/intake/trigger-input.js';
import { unexpectedInputAlertFor } from '../../src/unexpected-input/unexpected-input-alert.js';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:alarms';
const FUNCTIONS: MonitorFunction[] = [
  'real-time',
  'guard',
  'digests',
  'health-check',
  'trail-files',
];

const notice = (overrides: Partial<Parameters<typeof unexpectedInputAlertFor>[0]> = {}) => ({
  function: 'real-time' as const,
  functionName: 'root-monitor',
  shape: 'empty-object' as const,
  fields: [],
  events: 0,
  judged: true,
  repeatAfterMinutes: 60,
  ...overrides,
});

describe('the unexpected-input alarm message', () => {
  it('fits every function and shape whole in its subject', () => {
    for (const fn of FUNCTIONS) {
      for (const shape of INPUT_SHAPES) {
        const { Subject } = unexpectedInputAlertFor(
          notice({ function: fn, shape }),
          TOPIC,
          '111122223333',
        );
        expect(Subject).toMatch(new RegExp(`unexpected input to ${fn}: ${shape} - 111122223333$`));
      }
    }
  });

  it('is CRITICAL on the paths that carry alerts, HIGH on the schedules', () => {
    const severityOf = (fn: MonitorFunction) =>
      unexpectedInputAlertFor(notice({ function: fn }), TOPIC, undefined).MessageAttributes.severity
        ?.StringValue;

    expect(FUNCTIONS.map(severityOf)).toEqual(['CRITICAL', 'CRITICAL', 'HIGH', 'HIGH', 'CRITICAL']);
  });

  it('says what the trigger sends, that it is a test or a tampered target, and what to look at', () => {
    const { Message } = unexpectedInputAlertFor(
      notice({ shape: 'cloudtrail-record', fields: ['userIdentity', 'eventName'], events: 1 }),
      TOPIC,
      '111122223333',
    );
    const { email, default: chat } = JSON.parse(Message) as { email: string; default: string };

    expect(email).toContain('a bare CloudTrail record (top-level fields: userIdentity, eventName)');
    expect(email).toContain(
      'Its trigger, the root-usage rule (RootUsageRule), sends an EventBridge event',
    );
    expect(email).toContain('It held 1 CloudTrail event, judged as if delivered');
    expect(email).toContain('a rule target was changed to pass a constant Input');
    expect(email).toContain('aws events list-targets-by-rule');
    expect(JSON.parse(chat)).toMatchObject({
      metadata: {
        additionalContext: { function: 'real-time', input: 'cloudtrail-record', events: '1' },
      },
    });
  });

  it("escapes the input's field names, which whoever set the input chose", () => {
    const hostile = 'x\n<!channel> [click](https://evil.example)\u001b[31m';
    const { Message } = unexpectedInputAlertFor(
      notice({ shape: 'other-object', fields: [hostile], functionName: 'f\nx' }),
      TOPIC,
      undefined,
    );
    const { email, default: chat } = JSON.parse(Message) as { email: string; default: string };

    expect(email).not.toContain('\u001b');
    expect(email).not.toContain('x\n<!channel>');
    expect(email).not.toContain('f\nx');
    // What chat renders is disarmed; additionalContext, for machines, is escaped as elsewhere.
    const { content } = JSON.parse(chat) as { content: { description: string } };
    expect(content.description).not.toContain('<!channel>');
    expect(content.description).not.toContain('](https://');
    expect(content.description).not.toContain('\u001b');
  });
});
