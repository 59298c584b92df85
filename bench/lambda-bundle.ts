import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../test/deploy/cloudformation-template.js';

type BuildProperty = string | boolean | readonly string[];

interface SamFunction {
  Type: string;
  Metadata?: { BuildProperties?: Record<string, BuildProperty> };
  Properties?: { Environment?: { Variables?: Record<string, unknown> } };
}

/** The functions of template.yaml as written, so the bench and the build cannot drift apart. */
const samTemplate = (): Record<string, SamFunction> =>
  // CloudFormation's short-form tags are irrelevant here; keep them as plain values.
  (
    parse(readFileSync(join(REPO_ROOT, 'template.yaml'), 'utf8'), {
      customTags: (tags) => tags,
      logLevel: 'silent',
    }) as { Resources: Record<string, SamFunction> }
  ).Resources;

/** Every function `sam build` bundles with esbuild, with its entry point, in template order. */
export const samFunctions = (): { logicalId: string; entry: string }[] =>
  Object.entries(samTemplate()).flatMap(([logicalId, resource]) => {
    const [entry] = (resource.Metadata?.BuildProperties?.EntryPoints ?? []) as readonly string[];
    return resource.Type === 'AWS::Serverless::Function' && typeof entry === 'string'
      ? [{ logicalId, entry }]
      : [];
  });

const samFunction = (logicalId: string): SamFunction => {
  const resource = samTemplate()[logicalId];
  if (resource?.Type !== 'AWS::Serverless::Function')
    throw new Error(`template.yaml: no function ${logicalId}`);
  return resource;
};

/** The NODE_OPTIONS the function runs with (source maps cost time at load). */
export const samNodeOptions = (logicalId = 'RootMonitorFunction'): string => {
  const options = samFunction(logicalId).Properties?.Environment?.Variables?.NODE_OPTIONS;
  return typeof options === 'string' ? options : '';
};

/**
 * The esbuild command line `sam build` runs for a function's BuildProperties. SAM CLI turns
 * each PascalCase key into snake_case and AWS Lambda Builders into a flag: `true` is `--flag`,
 * `false` is dropped (so esbuild's default holds), a string is `--flag=value`, a list is
 * `--flag:item` once per item. Bundle, platform and outdir are its own; target, format and
 * minify have defaults when absent.
 */
export const samEsbuildArgs = (
  properties: Readonly<Record<string, BuildProperty>>,
  outdir: string,
): string[] => {
  const args = [`--bundle`, `--platform=node`, `--outdir=${outdir}`];
  if (properties.Target === undefined) args.push('--target=es2020');
  if (properties.Format === undefined) args.push('--format=cjs');
  if (properties.Minify === undefined) args.push('--minify');
  for (const [key, value] of Object.entries(properties)) {
    const snake = key.replace(/(?<!^)(?=[A-Z])/g, '_').toLowerCase();
    if (['entry_points', 'use_npm_ci', 'bundle', 'platform', 'outdir'].includes(snake)) continue;
    const flag = `--${snake.replaceAll('_', '-')}`;
    if (value === true) args.push(flag);
    else if (typeof value === 'string') args.push(`${flag}=${value}`);
    else if (Array.isArray(value)) args.push(...value.map((item) => `${flag}:${item}`));
  }
  return args;
};

/**
 * Bundles `entry` as `sam build` would for the template's function, with the esbuild of
 * node_modules; returns the bundle's path.
 */
export const bundleLikeSam = (
  entry: string,
  outdir: string,
  logicalId = 'RootMonitorFunction',
): string => {
  const properties = samFunction(logicalId).Metadata?.BuildProperties ?? {};
  const run = spawnSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'esbuild'),
    [entry, ...samEsbuildArgs(properties, outdir), '--log-level=error'],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`esbuild, as sam build runs it, failed:\n${run.stderr}`);
  const mapping = (properties.OutExtension as readonly string[] | undefined)
    ?.map((item) => item.split('='))
    .find(([from]) => from === '.js');
  return join(outdir, `${basename(entry, extname(entry))}${mapping?.[1] ?? '.js'}`);
};
