import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { REPO_ROOT } from '../test/deploy/cloudformation-template.js';

interface BuildProperties {
  Format?: string;
  Minify?: boolean;
  Sourcemap?: boolean;
  Target?: string;
  Banner?: string[];
  MainFields?: string[] | string;
  External?: string[];
  SourcesContent?: boolean;
}

/** The esbuild settings `sam build` uses, read from template.yaml so the bench cannot drift. */
export const samBuildProperties = (): BuildProperties => {
  // CloudFormation's short-form tags are irrelevant to Metadata; keep them as plain values.
  const template = parse(readFileSync(join(REPO_ROOT, 'template.yaml'), 'utf8'), {
    customTags: (tags) => tags,
    logLevel: 'silent',
  }) as {
    Resources: Record<string, { Type: string; Metadata?: { BuildProperties?: BuildProperties } }>;
  };
  const functions = Object.values(template.Resources).filter(
    (resource) => resource.Type === 'AWS::Serverless::Function',
  );
  const properties = functions[0]?.Metadata?.BuildProperties;
  if (properties === undefined) throw new Error('template.yaml: no function with BuildProperties');
  return properties;
};

/** Bundles `entry` as `sam build` would for the template's function; returns the .mjs path. */
export const bundleLikeSam = async (entry: string, outfile: string): Promise<string> => {
  const properties = samBuildProperties();
  const banner = Object.fromEntries(
    (properties.Banner ?? []).map((line) => [
      line.slice(0, line.indexOf('=')),
      line.slice(line.indexOf('=') + 1),
    ]),
  );
  const mainFields =
    typeof properties.MainFields === 'string'
      ? properties.MainFields.split(',')
      : properties.MainFields;
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: properties.Format === 'esm' ? 'esm' : 'cjs',
    minify: properties.Minify ?? false,
    sourcemap: properties.Sourcemap ?? false,
    sourcesContent: properties.SourcesContent ?? true,
    target: properties.Target ?? 'es2022',
    banner,
    ...(mainFields === undefined ? {} : { mainFields }),
    external: properties.External ?? [],
    logLevel: 'error',
  });
  return outfile;
};
