import type { Paint } from './colour.js';
import type { FormatOptions, ReplayFormat } from './replay-format.js';
import {
  COLUMNS,
  changeRow,
  digestRow,
  eventRow,
  FILE_COLUMN,
  ignoredRow,
  NOTE_HEADING,
  type Row,
} from './replay-line.js';
import { ReplayTally } from './replay-tally.js';
import { renderTable } from './text-table.js';

/** Event-time order; a digest before the events of the instant its window closed; no time last. */
const byTime = (a: Row, b: Row): number => {
  if (a.at === undefined || b.at === undefined) {
    return (a.at === undefined ? 1 : 0) - (b.at === undefined ? 1 : 0);
  }
  return a.at - b.at || Number(b.isDigest) - Number(a.isDigest);
};

/**
 * For a person at a terminal, on call: one line per root-usage event, change and window digest,
 * in event-time order whatever order the files came in, in columns sized to what they hold; then
 * the counts by rule and by account. The lines are held until the replay ends, since the last
 * file read may hold the earliest event (the JSON lines format streams instead).
 */
export const textFormat = (
  paint: Paint,
  { showFiles, showIgnored }: FormatOptions,
): ReplayFormat => {
  const tally = new ReplayTally();
  const rows: Row[] = [];
  return {
    event(replayed, origin) {
      if (replayed.decision === 'ignored') {
        if (showIgnored) rows.push(ignoredRow(replayed.ignored, origin));
        return '';
      }
      tally.add(replayed);
      rows.push(eventRow(replayed, origin));
      return '';
    },
    change(notice, origin) {
      tally.addChange(notice);
      rows.push(changeRow(notice, origin));
      return '';
    },
    digest(digest) {
      tally.addDigest(digest);
      rows.push(digestRow(digest));
      return '';
    },
    end() {
      if (rows.length === 0) return '';
      // Stable: events of one instant keep the order they were read in.
      rows.sort(byTime);
      const columns = showFiles ? [...COLUMNS, FILE_COLUMN] : COLUMNS;
      const hasNotes = rows.some(({ note }) => note !== '');
      const table = renderTable(
        columns,
        hasNotes ? NOTE_HEADING : undefined,
        rows.map(({ cells, file, note }) => ({
          cells: showFiles ? [...cells, { text: file ?? '-' }] : cells,
          last: note,
        })),
        paint,
      );
      return table + tally.table(paint);
    },
  };
};
