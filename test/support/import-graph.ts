import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Every module specifier a TypeScript file names: static imports and re-exports (type-only
 * too, over several lines), side-effect imports, and `import('...')` in code or in a type. A
 * type-only import ties modules as tightly for a reader as a value import does.
 */
export const specifiersIn = (text: string): string[] => [
  ...[...text.matchAll(/^\s*(?:import|export)\s[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm)].map(
    (match) => match[1] as string,
  ),
  ...[...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)].map((match) => match[1] as string),
  ...[...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (match) => match[1] as string,
  ),
];

/** Every TypeScript file under `dir`, however deep. */
export const tsFilesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? tsFilesUnder(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );

/** Each file under `dirs` (paths relative to `root`) and the files of those dirs it imports. */
export const importGraph = (root: string, dirs: readonly string[]): Map<string, string[]> => {
  const files = dirs.flatMap((dir) => tsFilesUnder(join(root, dir)));
  const known = new Set(files);
  return new Map(
    files.map((file) => [
      relative(root, file),
      specifiersIn(readFileSync(file, 'utf8'))
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, '.ts')))
        .filter((target) => known.has(target))
        .map((target) => relative(root, target)),
    ]),
  );
};

/**
 * One cycle per group of files that import each other, each as the files in import order with
 * the first repeated at the end (`a -> b -> a`). Found as strongly connected components
 * (Tarjan), so a tangle of several loops is reported once.
 */
export const cyclesIn = (graph: ReadonlyMap<string, readonly string[]>): string[][] => {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file) as number);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file) as number, index.get(next) as number));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.includes(file)) components.push(component);
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return components.map((component) => loopThrough(graph, new Set(component)));
};

/** The shortest loop from the component's first file (by name) back to itself. */
const loopThrough = (
  graph: ReadonlyMap<string, readonly string[]>,
  component: ReadonlySet<string>,
): string[] => {
  const start = [...component].sort()[0] as string;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const next of graph.get(file) ?? []) {
      if (next === start) {
        const path: string[] = [];
        for (let step = file; step !== start; step = cameFrom.get(step) ?? start)
          path.unshift(step);
        return [start, ...path, start];
      }
      if (component.has(next) && !cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return [start, start];
};
