import { describe, expect, it } from 'vitest';
import { eventsFrom } from '../../src/intake/events-from.js';
import { InputError } from '../../src/intake/input-error.js';
import { type CloudTrailRecord, toTrailEvent, UNKNOWN } from '../../src/intake/trail-event.js';

const MEMBER_ACCOUNT = '444455556666';
const ENVELOPE_ACCOUNT = '111122223333';

/** A root API call as CloudTrail records it, with `fields` laid over it. */
const rootCall = (fields: CloudTrailRecord = {}): CloudTrailRecord => ({
  eventVersion: '1.10',
  userIdentity: {
    type: 'Root',
    principalId: MEMBER_ACCOUNT,
    arn: `arn:aws:iam::${MEMBER_ACCOUNT}:root`,
    accountId: MEMBER_ACCOUNT,
  },
  eventTime: '2026-03-14T02:16:48Z',
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateAccessKey',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.7',
  userAgent: 'aws-cli/2.15.0',
  requestParameters: null,
  responseElements: { accessKey: { accessKeyId: 'AKIAEXAMPLE' } },
  eventID: '3f1c2a4b-0000-4000-8000-000000000001',
  readOnly: false,
  eventType: 'AwsApiCall',
  recipientAccountId: MEMBER_ACCOUNT,
  ...fields,
});

/** `record` inside an EventBridge envelope, as the rule delivers it. */
const eventBridgeEvent = (record: CloudTrailRecord) => ({
  version: '0',
  id: '8c0e2a4b-3d5f-4b6c-8d9e-0f1a2b3c4d04',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.iam',
  account: ENVELOPE_ACCOUNT,
  time: '2026-03-14T02:16:48Z',
  region: 'eu-west-1',
  resources: [],
  detail: record,
});

/** The single event of an input that holds exactly one. */
const onlyEventOf = (input: unknown) => {
  const events = eventsFrom(input, 'event.json');
  expect(events).toHaveLength(1);
  return events[0] as NonNullable<(typeof events)[0]>;
};

const errorOf = (input: unknown, inputName = 'trail.json'): unknown => {
  try {
    eventsFrom(input, inputName);
  } catch (error) {
    return error;
  }
  throw new Error('eventsFrom accepted the input');
};

describe('eventsFrom', () => {
  describe('accepted shapes', () => {
    it('reads the record inside an EventBridge event', () => {
      const event = onlyEventOf(eventBridgeEvent(rootCall()));

      expect(event).toMatchObject({
        eventId: '3f1c2a4b-0000-4000-8000-000000000001',
        eventName: 'CreateAccessKey',
        eventSource: 'iam.amazonaws.com',
        identityType: 'Root',
        accountId: MEMBER_ACCOUNT,
        region: 'us-east-1',
      });
    });

    it('reads every record of a CloudTrail log file, in order', () => {
      const events = eventsFrom(
        { Records: [rootCall({ eventName: 'ListUsers' }), rootCall({ eventName: 'GetUser' })] },
        'trail.json',
      );

      expect(events.map(({ eventName }) => eventName)).toEqual(['ListUsers', 'GetUser']);
    });

    it('reads a log file with no records as no events', () => {
      expect(eventsFrom({ Records: [] }, 'trail.json')).toEqual([]);
    });

    it('reads a bare CloudTrail record', () => {
      expect(onlyEventOf(rootCall()).eventName).toBe('CreateAccessKey');
    });

    it('reads the hand-typed {"detail": {...}} people send when testing', () => {
      const input = JSON.parse(
        '{"detail": {"userIdentity": {"type": "Root", "accountId": "444455556666"}, "eventName": "ConsoleLogin"}}',
      );
      const event = onlyEventOf(input);

      expect(event).toMatchObject({
        eventName: 'ConsoleLogin',
        identityType: 'Root',
        accountId: MEMBER_ACCOUNT,
        region: UNKNOWN,
        eventSource: UNKNOWN,
        sourceIp: UNKNOWN,
      });
      expect(event.eventId).toMatch(/^sha256-[0-9a-f]{32}$/);
    });
  });

  describe('where the event came from', () => {
    it("takes the envelope's account and Region when the record carries neither", () => {
      const record = rootCall({ recipientAccountId: undefined, awsRegion: undefined });
      record.userIdentity = { type: 'Root' };

      expect(onlyEventOf(eventBridgeEvent(record))).toMatchObject({
        accountId: ENVELOPE_ACCOUNT,
        region: 'eu-west-1',
      });
    });

    it("prefers the record's own account and Region to the envelope's", () => {
      expect(onlyEventOf(eventBridgeEvent(rootCall()))).toMatchObject({
        accountId: MEMBER_ACCOUNT,
        region: 'us-east-1',
      });
    });

    it("falls back to the identity's account before the envelope's", () => {
      const record = rootCall({ recipientAccountId: undefined });

      expect(onlyEventOf(eventBridgeEvent(record)).accountId).toBe(MEMBER_ACCOUNT);
    });

    it('reads Unknown for a record outside an envelope that carries neither', () => {
      const event = onlyEventOf({ Records: [{ eventName: 'GetUser' }] });

      expect(event).toMatchObject({ accountId: UNKNOWN, region: UNKNOWN });
    });

    it('ignores an envelope account or Region that is not a string', () => {
      const input = { ...eventBridgeEvent({ eventName: 'GetUser' }), account: 42, region: 7 };

      expect(onlyEventOf(input)).toMatchObject({ accountId: UNKNOWN, region: UNKNOWN });
    });
  });

  describe('input in no accepted shape', () => {
    it.each([
      ['a string', '{"detail": {}}'],
      ['null', null],
      ['an array', [rootCall()]],
      ['a number', 42],
      ['a boolean', true],
    ])('refuses %s, naming the input', (described, input) => {
      const error = errorOf(input, 'cloudtrail/2026-03-14.json');

      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).name).toBe('InputError');
      expect((error as InputError).message).toMatch(/^cloudtrail\/2026-03-14\.json: /);
      expect((error as InputError).message).toContain('expected a JSON object');
      expect((error as InputError).message).toContain(`got ${described}`);
    });

    it.each([
      ['a number', 3],
      ['a string', 'none'],
      ['null', null],
    ])('refuses Records that is %s, naming the input and the field', (described, records) => {
      const error = errorOf({ Records: records });

      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toBe(
        `trail.json: field Records must be an array, got ${described}`,
      );
    });

    it.each([
      ['a string', 'ConsoleLogin'],
      ['null', null],
      ['an array', [rootCall()]],
    ])('refuses a record that is %s, naming the input and its index', (described, record) => {
      const error = errorOf({ Records: [rootCall(), rootCall(), record] });

      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toBe(
        `trail.json: Records[2] must be an object, got ${described}`,
      );
    });

    it.each([
      ['a string', '{"eventName": "ConsoleLogin"}'],
      ['null', null],
      ['an array', [rootCall()]],
      ['a number', 0],
    ])('refuses a detail that is %s, naming the input and the field', (described, detail) => {
      const error = errorOf({ ...eventBridgeEvent(rootCall()), detail }, 'event');

      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toBe(
        `event: field detail must be an object, got ${described}`,
      );
    });
  });
});

describe('toTrailEvent', () => {
  describe('missing and mistyped fields', () => {
    it('reads every missing field as Unknown or undefined, without throwing', () => {
      expect(toTrailEvent({})).toMatchObject({
        eventTime: undefined,
        eventName: UNKNOWN,
        eventSource: UNKNOWN,
        eventType: UNKNOWN,
        accountId: UNKNOWN,
        region: UNKNOWN,
        sourceIp: UNKNOWN,
        userAgent: UNKNOWN,
        identityType: UNKNOWN,
        identityArn: UNKNOWN,
        invokedBy: undefined,
        assumedRoot: false,
        errorCode: undefined,
        errorMessage: undefined,
        readOnly: undefined,
        requestParameters: undefined,
        responseElements: undefined,
        additionalEventData: undefined,
      });
    });

    it.each([
      '+275760-09-13T00:00:00Z',
      '-271821-04-20T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '+010000-01-01T00:00:00Z',
    ])('reads an eventTime outside the years 1970 to 9999 (%s) as missing', (eventTime) => {
      expect(toTrailEvent({ eventTime }).eventTime).toBeUndefined();
    });

    it('keeps an eventTime at the edges of those years', () => {
      expect(toTrailEvent({ eventTime: '1970-01-01T00:00:00Z' }).eventTime).toEqual(new Date(0));
      expect(toTrailEvent({ eventTime: '9999-12-31T23:59:59Z' }).eventTime).toEqual(
        new Date('9999-12-31T23:59:59Z'),
      );
    });

    it('reads mistyped and empty fields as missing', () => {
      const event = toTrailEvent({
        eventName: 42,
        eventSource: '',
        sourceIPAddress: { ip: '203.0.113.7' },
        userIdentity: 'Root',
        requestParameters: ['not', 'an', 'object'],
        eventTime: 'yesterday',
      });

      expect(event).toMatchObject({
        eventName: UNKNOWN,
        eventSource: UNKNOWN,
        sourceIp: UNKNOWN,
        identityType: UNKNOWN,
        requestParameters: undefined,
        eventTime: undefined,
      });
    });

    it('reads the event time as a date', () => {
      expect(toTrailEvent(rootCall()).eventTime).toEqual(new Date('2026-03-14T02:16:48Z'));
    });
  });

  describe('centralized-root sessions', () => {
    it.each([true, 'true'])('are recognised by assumedRoot %j', (assumedRoot) => {
      const record = rootCall({
        userIdentity: { type: 'Root', accountId: MEMBER_ACCOUNT, assumedRoot },
      });

      expect(toTrailEvent(record).assumedRoot).toBe(true);
    });

    it('are recognised by assumedRoot under sessionContext, as AWS documents it', () => {
      const record = rootCall({
        userIdentity: {
          type: 'Root',
          accountId: MEMBER_ACCOUNT,
          sessionContext: { attributes: { mfaAuthenticated: 'false' }, assumedRoot: 'true' },
        },
      });

      expect(toTrailEvent(record).assumedRoot).toBe(true);
    });

    it.each([false, 'false', 'TRUE', 1, undefined])(
      'are not claimed for assumedRoot %j',
      (value) => {
        const record = rootCall({
          userIdentity: { type: 'Root', accountId: MEMBER_ACCOUNT, assumedRoot: value },
        });

        expect(toTrailEvent(record).assumedRoot).toBe(false);
      },
    );
  });

  describe('readOnly', () => {
    it.each([
      [true, true],
      ['true', true],
      [false, false],
      ['false', false],
      ['yes', undefined],
      [1, undefined],
      [undefined, undefined],
    ])('reads %j as %j', (value, expected) => {
      expect(toTrailEvent(rootCall({ readOnly: value })).readOnly).toBe(expected);
    });
  });

  describe('eventId', () => {
    const withoutId = (fields: CloudTrailRecord = {}) =>
      rootCall({ eventID: undefined, ...fields });

    it("is CloudTrail's eventID when the record has one", () => {
      expect(toTrailEvent(rootCall()).eventId).toBe('3f1c2a4b-0000-4000-8000-000000000001');
    });

    it('is a digest of the record when it has none, the same for the same record', () => {
      const first = toTrailEvent(JSON.parse(JSON.stringify(withoutId())));
      const again = toTrailEvent(JSON.parse(JSON.stringify(withoutId())));

      expect(first.eventId).toMatch(/^sha256-[0-9a-f]{32}$/);
      expect(again.eventId).toBe(first.eventId);
    });

    it('differs between records that differ in any field', () => {
      const ids = [
        withoutId(),
        withoutId({ eventName: 'DeleteAccessKey' }),
        withoutId({ sourceIPAddress: '203.0.113.8' }),
        withoutId({ eventTime: '2026-03-14T02:16:49Z' }),
      ].map((record) => toTrailEvent(record).eventId);

      expect(new Set(ids).size).toBe(ids.length);
    });
  });
});
