import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../deploy/cloudformation-template.js';
import {
  documentationPages,
  headingAnchors,
  linkedPath,
  pageText,
  relativeLinks,
} from './markdown.js';

const PAGES = documentationPages();

describe('the documentation', () => {
  it('has the README, the release notes and pages under docs/', () => {
    expect(PAGES).toContain('README.md');
    expect(PAGES).toContain('CHANGELOG.md');
    expect(PAGES.filter((page) => page.startsWith('docs/')).length).toBeGreaterThan(10);
  });

  describe.each(PAGES)('%s', (page) => {
    const text = pageText(page);
    const links = relativeLinks(text);

    it('links only to files that exist in the repository', () => {
      const broken = links
        .filter(({ target }) => {
          const path = linkedPath(page, target);
          return path.startsWith('..') || !existsSync(join(REPO_ROOT, path));
        })
        .map(({ target, line }) => `line ${line}: ${target}`);

      expect(broken).toEqual([]);
    });

    it('links to a heading only where the page it names has one with that anchor', () => {
      const missing = links
        .filter(({ target }) => target.includes('#'))
        .filter(({ target }) => {
          const path = linkedPath(page, target);
          if (!path.endsWith('.md') || !existsSync(join(REPO_ROOT, path))) return false;
          return !headingAnchors(pageText(path)).has(target.slice(target.indexOf('#') + 1));
        })
        .map(({ target, line }) => `line ${line}: ${target}`);

      expect(missing).toEqual([]);
    });

    it('links to no file under src/, which moves as the code does: it names the feature', () => {
      const intoSource = links
        .filter(({ target }) => linkedPath(page, target).startsWith('src/'))
        .map(({ target, line }) => `line ${line}: ${target}`);

      expect(intoSource).toEqual([]);
    });
  });

  it('reaches every page under docs/ from the README, directly or through pages it links', () => {
    const reached = new Set<string>(['README.md']);
    const queue = ['README.md'];
    for (let page = queue.shift(); page !== undefined; page = queue.shift()) {
      for (const { target } of relativeLinks(pageText(page))) {
        const path = linkedPath(page, target);
        const file = join(REPO_ROOT, path);
        if (!path.endsWith('.md') || reached.has(path)) continue;
        if (!existsSync(file) || !statSync(file).isFile()) continue;
        reached.add(path);
        queue.push(path);
      }
    }

    expect(PAGES.filter((page) => !reached.has(page))).toEqual([]);
  });
});

describe('the README', () => {
  const readme = pageText('README.md');

  it('is read in five minutes: under 250 lines', () => {
    expect(readme.split('\n').length).toBeLessThan(250);
  });

  it('shows the test command exactly as CI runs it (.ci/run)', () => {
    const ciRun = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
    const command = ciRun
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'))
      .at(-1);

    expect(command).toMatch(/npm test$/);
    expect(readme).toContain(`\`\`\`sh\n${command}\n\`\`\``);
  });
});
