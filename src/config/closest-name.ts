/**
 * Edits between two words: insertions, deletions, substitutions and swaps of two neighbouring
 * letters (`regoins`), each counting one. Field names are short and few, so the plain table is
 * fast enough, and a dependency would add nothing but one more package on the Lambda's path.
 */
const editDistance = (a: string, b: string): number => {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
};

/**
 * The name `given` was most likely meant to be, ignoring case: the nearest within one edit in
 * three letters (at least one), the first in `names` order on a tie; undefined when none is
 * that near, since a far-fetched guess misleads more than it helps.
 */
export const closestName = (given: string, names: readonly string[]): string | undefined => {
  let closest: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(given.toLowerCase(), name.toLowerCase());
    const allowed = Math.max(1, Math.floor(name.length / 3));
    if (distance <= allowed && (closest === undefined || distance < closest.distance)) {
      closest = { name, distance };
    }
  }
  return closest?.name;
};
