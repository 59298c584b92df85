import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../../rules/index.js';
import { eventRow } from '../../../src/cli/replay/table-rows.js';
import { defaultConfigFor } from '../../../src/config/default-config.js';
import { decide } from '../../../src/engine/decide.js';
import { toTrailEvent } from '../../../src/intake/trail-event.js';
import { rootRecord } from '../trail-files.js';

const alertOn = (record: Record<string, unknown>) => {
  const decision = decide(
    toTrailEvent(record as Parameters<typeof toTrailEvent>[0]),
    CATALOG,
    defaultConfigFor(CATALOG),
    { monitor: {} },
  );
  if (decision.kind !== 'alert') throw new Error(`expected an alert, got ${decision.kind}`);
  return decision;
};

describe('eventRow', () => {
  it('names the alert whose window counted a duplicate, when replay knows it', () => {
    const alert = alertOn(rootRecord({ eventID: 'later' }));

    const counted = eventRow({ decision: 'duplicate', alert, countedBy: 'opener' }, { file: 'f' });
    const unknown = eventRow({ decision: 'duplicate', alert }, { file: 'f' });

    expect(counted.note).toBe('counted by opener');
    expect(unknown.note).toBe('');
    expect(counted.cells.at(-1)).toBe('later');
  });

  it('escapes the id of the counting alert, as any event value', () => {
    const alert = alertOn(rootRecord());

    expect(eventRow({ decision: 'duplicate', alert, countedBy: 'a\nb' }, { file: 'f' }).note).toBe(
      'counted by a\\nb',
    );
  });
});
