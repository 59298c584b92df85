import type { Paint } from '../../colour.js';
import { type FittedRow, fittedCells, renderTable } from '../../text-table.js';
import {
  COLUMNS,
  changeRow,
  digestRow,
  eventRow,
  FILE_COLUMN,
  ignoredRow,
  NOTE_HEADING,
  type Row,
} from '../table-rows.js';
import { ReplayTally } from '../tally.js';
import type { FormatOptions, ReplayFormat } from './format.js';

/** A row as held until the end: its cells fitted now, so that only short strings are kept. */
type Held = FittedRow & Pick<Row, 'at' | 'isDigest' | 'firstSeen'>;

/**
 * Notes each source first seen on its earliest alert only. Files are read in path order, so a
 * later alert of a source can be read, and marked, before its earliest; in event-time order the
 * first marked row of each source is the earliest.
 */
const markFirstSeen = (rows: readonly Held[]): void => {
  const marked = new Set<string>();
  for (const row of rows) {
    if (row.firstSeen === undefined || marked.has(row.firstSeen.source)) continue;
    marked.add(row.firstSeen.source);
    row.last = [row.firstSeen.note, row.last].filter((part) => part !== '').join('  ');
  }
};

/** Event-time order; a digest before the events of the instant its window closed; no time last. */
const byTime = (a: Held, b: Held): number => {
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
  const columns = showFiles ? [...COLUMNS, FILE_COLUMN] : COLUMNS;
  const rows: Held[] = [];
  const hold = ({ at, isDigest, cells, file, note, firstSeen }: Row): '' => {
    const values = showFiles ? [...cells, file ?? '-'] : cells;
    rows.push({ at, isDigest, firstSeen, cells: fittedCells(columns, values), last: note });
    return '';
  };
  return {
    event(replayed, origin) {
      if (replayed.decision === 'ignored') {
        return showIgnored ? hold(ignoredRow(replayed.ignored, origin)) : '';
      }
      tally.add(replayed);
      return hold(eventRow(replayed, origin));
    },
    change(notice, origin) {
      tally.addChange(notice);
      return hold(changeRow(notice, origin));
    },
    digest(digest) {
      tally.addDigest(digest);
      return hold(digestRow(digest));
    },
    end() {
      if (rows.length === 0) return '';
      // Stable: events of one instant keep the order they were read in.
      rows.sort(byTime);
      markFirstSeen(rows);
      const hasNotes = rows.some(({ last }) => last !== '');
      return (
        renderTable(columns, hasNotes ? NOTE_HEADING : undefined, rows, paint) + tally.table(paint)
      );
    },
  };
};
