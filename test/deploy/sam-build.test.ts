import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLikeSam, samEsbuildArgs } from '../../bench/lambda-bundle.js';
import { loadTemplate, REPO_ROOT } from './cloudformation-template.js';

/** Every function sam build bundles, with its entry point. */
const esbuildFunctions = Object.entries(loadTemplate('template.yaml').Resources).flatMap(
  ([id, resource]) => {
    const build = resource.Metadata?.BuildProperties;
    const entry =
      typeof build === 'object' &&
      build !== null &&
      !Array.isArray(build) &&
      Array.isArray(build.EntryPoints)
        ? build.EntryPoints[0]
        : undefined;
    return typeof entry === 'string' ? [[id, entry] as const] : [];
  },
);

describe("sam build's esbuild command for the function", () => {
  let outdir: string;
  let bundle: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'sam-build-'));
    bundle = bundleLikeSam(join(REPO_ROOT, 'src', 'functions', 'real-time.ts'), outdir);
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('turns BuildProperties into flags as SAM CLI and Lambda Builders do', () => {
    expect(
      samEsbuildArgs(
        { Minify: true, SourcesContent: 'false', Sourcemap: false, External: ['a', 'b'] },
        '/out',
      ),
    ).toEqual([
      '--bundle',
      '--platform=node',
      '--outdir=/out',
      '--target=es2020',
      '--format=cjs',
      '--minify',
      '--sources-content=false',
      '--external:a',
      '--external:b',
    ]);
  });

  it('is accepted by esbuild and writes an ES module handler with its banner', () => {
    expect(bundle).toBe(join(outdir, 'real-time.mjs'));
    expect(readFileSync(bundle, 'utf8')).toMatch(/^import \{ createRequire \} from 'module';/);
  });

  it('keeps the names a stack trace shows, and writes no source map for Node to parse', () => {
    const code = readFileSync(bundle, 'utf8');

    expect(code).toContain('rootUsageMessageFor');
    expect(code).not.toContain('sourceMappingURL');
    expect(existsSync(`${bundle}.map`)).toBe(false);
  });

  it.each(esbuildFunctions)('builds %s from %s with the flags sam build passes', (id, entry) => {
    const dir = mkdtempSync(join(tmpdir(), `sam-build-${id}-`));
    try {
      expect(existsSync(bundleLikeSam(join(REPO_ROOT, entry), dir, id))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
