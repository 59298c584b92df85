import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../deploy/cloudformation-template.js';
import { runCli } from './run-cli.js';

/** The output the README shows under its main job, `npx root-monitor replay events/`. */
const readmeSample = (): string[] => {
  const readme = readFileSync(`${REPO_ROOT}/README.md`, 'utf8');
  const command = readme.indexOf('npm ci && npx root-monitor replay events/');
  const start = readme.indexOf('```\n', readme.indexOf('```\n', command) + 4) + 4;
  return readme
    .slice(start, readme.indexOf('```', start))
    .split('\n')
    .filter((line) => line !== '' && line !== '...');
};

describe("the README's main job", () => {
  it('prints every line the README shows, in the same order', async () => {
    const { status, stdout } = await runCli(['replay', `${REPO_ROOT}/events/`]);
    const printed = stdout.split('\n');

    expect(status).toBe(0);
    const shown = readmeSample();
    expect(shown.length).toBeGreaterThan(5);
    let at = -1;
    for (const line of shown) {
      const found = printed.indexOf(line, at + 1);
      expect(found, line).toBeGreaterThan(at);
      at = found;
    }
  });
});
