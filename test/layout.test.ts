import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './deploy/cloudformation-template.js';
import { cyclesIn, importGraph, specifiersIn, tsFilesUnder } from './support/import-graph.js';

/** The composition points: each function's wiring and the CLI hand the catalog to the core. */
const COMPOSITION = [
  /^src\/aws\/monitor-on-aws\.ts$/,
  /^src\/aws\/guard-on-aws\.ts$/,
  /^src\/aws\/health\/health-checks-on-aws\.ts$/,
  /^src\/cli\//,
];

describe('layout', () => {
  it('keeps rules/ out of the core: only the composition points import the catalog', () => {
    const importers = tsFilesUnder(join(REPO_ROOT, 'src'))
      .filter((file) => /from '(\.\.\/)+rules\//.test(readFileSync(file, 'utf8')))
      .map((file) => relative(REPO_ROOT, file));

    expect(importers.filter((file) => !COMPOSITION.some((allowed) => allowed.test(file)))).toEqual(
      [],
    );
  });

  it('has no import cycle in src/ or rules/, type-only and dynamic imports included', () => {
    const graph = importGraph(REPO_ROOT, ['src', 'rules']);
    // The parse sees the tree: the CLI loads its commands by dynamic import.
    expect(graph.get('src/cli/main.ts')).toContain('src/cli/replay/command.ts');

    expect(cyclesIn(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('reads every form of import, and names each cycle by its files', () => {
    const text = [
      "import type { A } from './a.js';",
      'import {',
      '  type B,',
      '  c,',
      "} from '../b.js';",
      "export * from './c.js';",
      "export type { D } from './d.js';",
      "import './e.js';",
      "const f = await import('./f.js');",
      "type G = typeof import('./g.js');",
      "import { readFileSync } from 'node:fs';",
      'const notAnImport = "see import { x } from \'./string.js\' below";',
    ].join('\n');
    expect(specifiersIn(text).sort()).toEqual(
      ['../b.js', './a.js', './c.js', './d.js', './e.js', './f.js', './g.js', 'node:fs'].sort(),
    );

    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts', 'd.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(cyclesIn(graph)).toEqual([
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
      ['e.ts', 'e.ts'],
    ]);
  });
});
