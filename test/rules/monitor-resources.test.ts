import { describe, expect, it } from 'vitest';
import { rootRecord } from '../../rules/cases.js';
import { isReadOnlyCall } from '../../rules/monitor-resources.js';
import { toTrailEvent } from '../../src/intake/trail-event.js';

describe('isReadOnlyCall', () => {
  it("trusts CloudTrail's readOnly over the verb in the event name", () => {
    const event = toTrailEvent(rootRecord({ eventName: 'GetFunction20150331v2', readOnly: false }));
    expect(isReadOnlyCall(event)).toBe(false);
  });

  it.each([
    ['GetFunction20150331v2', true],
    ['ListTagsForResource', true],
    ['DescribeTable', true],
    ['PutFunctionConcurrency20171031', false],
    ['Invoke', false],
  ])('judges %s by its verb when readOnly is missing', (eventName, readOnly) => {
    const event = toTrailEvent(rootRecord({ eventName, readOnly: undefined }));
    expect(isReadOnlyCall(event)).toBe(readOnly);
  });
});
