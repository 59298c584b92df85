import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rootRecord } from '../../rules/cases.js';
import { eventsHeld, shapeOf } from '../../src/intake/trigger-input.js';
import { REPO_ROOT } from '../deploy/cloudformation-template.js';
import { envelope, scheduledEvent } from '../support/monitor-stack.js';

const sample = (name: string): unknown =>
  JSON.parse(readFileSync(join(REPO_ROOT, 'events', name), 'utf8'));

const sqsBatch = {
  Records: [
    {
      messageId: 'm1',
      receiptHandle: 'r1',
      body: '{}',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:q',
      awsRegion: 'us-east-1',
    },
  ],
};

describe('shapeOf: which trigger, if any, sends an input', () => {
  it.each([
    ['what the root-usage rule delivers', envelope(rootRecord()), 'eventbridge-event'],
    ['a sample of events/', sample('alert-console-login-without-mfa.json'), 'eventbridge-event'],
    ['what a schedule delivers', scheduledEvent(), 'scheduled-event'],
    ['events/digests-scheduled-run.json', sample('digests-scheduled-run.json'), 'scheduled-event'],
    ['what an SQS event source delivers', sqsBatch, 'sqs-batch'],
    [
      'the envelope with an event no AWS service sends',
      { ...envelope(rootRecord()), source: 'my.app' },
      'other-eventbridge-event',
    ],
    [
      'the envelope short of a field',
      { ...envelope(rootRecord()), resources: undefined },
      'hand-typed-detail',
    ],
    [
      'the hand-typed minimal payload',
      sample('alert-minimal-test-payload.json'),
      'hand-typed-detail',
    ],
    ['a bare record, an InputPath of $.detail', rootRecord(), 'cloudtrail-record'],
    ['a log file', { Records: [rootRecord()] }, 'cloudtrail-log-file'],
    ['the old digest schedule input', { rootMonitorTask: 'digests' }, 'digest-task'],
    ['a constant {}', {}, 'empty-object'],
    ['some other constant', { hello: 'world' }, 'other-object'],
    ['an array', [], 'not-an-object'],
    ['a string', 'event', 'not-an-object'],
    ['null', null, 'not-an-object'],
  ])('%s is %s', (_, input, shape) => {
    expect(shapeOf(input)).toBe(shape);
  });
});

describe('eventsHeld: the CloudTrail events an input holds, whatever its shape', () => {
  it('reads the event inside every shape that can hold one', () => {
    const record = rootRecord({ eventID: 'e1' });
    for (const input of [envelope(record), { detail: record }, record, { Records: [record] }]) {
      expect(eventsHeld(input, shapeOf(input), 'event').map(({ eventId }) => eventId)).toEqual([
        'e1',
      ]);
    }
  });

  it('reads an envelope of another kind only when its detail is a CloudTrail record', () => {
    const other = { ...envelope(rootRecord({ eventID: 'e2' })), 'detail-type': 'Custom' };
    const notCloudTrail = { ...other, detail: { orderId: 7 } };

    expect(eventsHeld(other, shapeOf(other), 'event')).toHaveLength(1);
    expect(eventsHeld(notCloudTrail, shapeOf(notCloudTrail), 'event')).toEqual([]);
  });

  it('finds none in a schedule, an SQS batch or a constant', () => {
    for (const input of [scheduledEvent(), sqsBatch, {}, { rootMonitorTask: 'digests' }]) {
      expect(eventsHeld(input, shapeOf(input), 'event')).toEqual([]);
    }
  });

  it('names the input and the field of a malformed one', () => {
    expect(() => eventsHeld({ detail: 'x' }, 'hand-typed-detail', 'event')).toThrow(
      'event: field detail must be an object, got a string',
    );
  });
});
