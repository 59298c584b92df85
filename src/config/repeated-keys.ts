/** A key a reader would misread, and where it is: `['allow', 0, 'sourceIps']`. */
export interface RepeatedKey {
  path: readonly (string | number)[];
  problem: string;
}

/**
 * Keys `JSON.parse` accepts but a reader of the document would misread. A key given twice keeps
 * only its last value, so `"sourceIps": ["203.0.113.7"]` early in an entry can be overridden by
 * `"sourceIps": ["10.0.0.0/8"]` further down, unseen in review. `__proto__` becomes an own
 * property that the schema then skips without looking at its value.
 *
 * The text has already parsed as JSON, so a scanner that only tells strings from structure is
 * enough. Keys are compared decoded (`"a"` and `"\u0061"` are the same key). The places are
 * returned as paths, which the caller names as it names every other problem (with the entry's id,
 * which may come after the repeated key in the text).
 */
export const repeatedKeyProblems = (json: string): RepeatedKey[] => {
  const problems: RepeatedKey[] = [];
  /** Open containers: an object's keys so far, or an array's next index; and where it is. */
  const open: { keys: Set<string> | undefined; index: number; path: (string | number)[] }[] = [];
  let pendingKey: string | undefined;

  const childPath = (): (string | number)[] => {
    const parent = open.at(-1);
    if (parent === undefined) return [];
    if (parent.keys === undefined) return [...parent.path, parent.index];
    return [...parent.path, pendingKey ?? ''];
  };

  for (let i = 0; i < json.length; i++) {
    const char = json[i];
    if (char === '"') {
      const start = i;
      for (i++; json[i] !== '"'; i++) if (json[i] === '\\') i++;
      const text = JSON.parse(json.slice(start, i + 1)) as string;
      const parent = open.at(-1);
      let next = i + 1;
      while (/\s/.test(json[next] ?? '')) next++;
      if (parent?.keys !== undefined && json[next] === ':') {
        pendingKey = text;
        const path = [...parent.path, text];
        if (text === '__proto__')
          problems.push({ path, problem: '"__proto__" is not a valid key' });
        else if (parent.keys.has(text)) {
          problems.push({ path, problem: 'given twice; only the last value would count' });
        }
        parent.keys.add(text);
      }
    } else if (char === '{' || char === '[') {
      open.push({ keys: char === '{' ? new Set() : undefined, index: 0, path: childPath() });
      pendingKey = undefined;
    } else if (char === '}' || char === ']') {
      open.pop();
    } else if (char === ',') {
      const parent = open.at(-1);
      if (parent !== undefined && parent.keys === undefined) parent.index++;
    }
  }
  return problems;
};
