import type { Paint } from './colour.js';
import type { ReplayFormat } from './replay-format.js';
import { changeLineFor, headerLine, lineFor } from './replay-line.js';
import { ReplayTally } from './replay-tally.js';

/**
 * For a person at a terminal: column names, one line per root-usage event, then the counts by
 * rule and by account.
 */
export const textFormat = (paint: Paint): ReplayFormat => {
  const tally = new ReplayTally();
  let started = false;
  return {
    event(replayed) {
      tally.add(replayed);
      const header = started ? '' : headerLine(paint);
      started = true;
      return header + lineFor(replayed, paint);
    },
    change(notice) {
      tally.addChange(notice);
      const header = started ? '' : headerLine(paint);
      started = true;
      return header + changeLineFor(notice, paint);
    },
    end: () => tally.table(paint),
  };
};
