import type { Paint } from './colour.js';
import type { ReplayFormat } from './replay-format.js';
import { changeLineFor, digestLineFor, headerLine, lineFor } from './replay-line.js';
import { ReplayTally } from './replay-tally.js';

/**
 * For a person at a terminal: column names, one line per root-usage event, change and window
 * digest, then the counts by rule and by account.
 */
export const textFormat = (paint: Paint): ReplayFormat => {
  const tally = new ReplayTally();
  let started = false;
  /** The column names go above the first line, whatever it is. */
  const headed = (line: string): string => {
    const header = started ? '' : headerLine(paint);
    started = true;
    return header + line;
  };
  return {
    event(replayed) {
      tally.add(replayed);
      return headed(lineFor(replayed, paint));
    },
    change(notice) {
      tally.addChange(notice);
      return headed(changeLineFor(notice, paint));
    },
    digest(digest) {
      tally.addDigest(digest);
      return headed(digestLineFor(digest, paint));
    },
    end: () => tally.table(paint),
  };
};
