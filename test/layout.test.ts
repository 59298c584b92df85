import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './deploy/cloudformation-template.js';

/** The composition points: each function's wiring and the CLI hand the catalog to the core. */
const COMPOSITION = [
  /^src\/aws\/monitor-on-aws\.ts$/,
  /^src\/aws\/guard-on-aws\.ts$/,
  /^src\/aws\/health\/health-checks-on-aws\.ts$/,
  /^src\/cli\//,
];

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );

describe('layout', () => {
  it('keeps rules/ out of the core: only the composition points import the catalog', () => {
    const importers = sources(join(REPO_ROOT, 'src'))
      .filter((file) => /from '(\.\.\/)+rules\//.test(readFileSync(file, 'utf8')))
      .map((file) => relative(REPO_ROOT, file));

    expect(importers.filter((file) => !COMPOSITION.some((allowed) => allowed.test(file)))).toEqual(
      [],
    );
  });
});
