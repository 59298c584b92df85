import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate, REPO_ROOT, type Template } from './cloudformation-template.js';
import { transformedTemplate } from './transformed-template.js';

/** The Node major running this suite: package.json's `node` devDependency under `npm test`. */
const SUITE_MAJOR = Number(process.versions.node.split('.')[0]);

const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

const functionsOf = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

describe('the Node the suite runs on is the Node Lambda runs', () => {
  let deployed: Template;
  beforeAll(() => {
    deployed = transformedTemplate();
  });

  it("runs every function of the stack on the suite's Node major", () => {
    const functions = functionsOf(deployed, 'AWS::Lambda::Function');

    expect(functions.length).toBeGreaterThan(0);
    for (const [id, resource] of functions) {
      expect({ id, runtime: resource.Properties?.Runtime }).toEqual({
        id,
        runtime: `nodejs${SUITE_MAJOR}.x`,
      });
    }
  });

  it('bundles every function for that Node', () => {
    for (const [id, resource] of functionsOf(
      loadTemplate('template.yaml'),
      'AWS::Serverless::Function',
    )) {
      const build = resource.Metadata?.BuildProperties;
      const target =
        typeof build === 'object' && build !== null && !Array.isArray(build)
          ? build.Target
          : undefined;
      expect({ id, target }).toEqual({ id, target: `node${SUITE_MAJOR}` });
    }
  });

  it('pins the `node` devDependency that `npm test` runs on to that major', () => {
    expect(packageJson.devDependencies.node).toMatch(new RegExp(`^\\^${SUITE_MAJOR}\\.`));
  });

  it('finds that Node first on PATH, for whatever the tests spawn as a bare `node`', () => {
    const spawned = spawnSync('node', ['--version'], { encoding: 'utf8' });

    expect(spawned.stdout.trim()).toBe(process.version);
  });
});
