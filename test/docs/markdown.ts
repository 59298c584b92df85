import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../deploy/cloudformation-template.js';

/** The pages a reader can open: the README, the release notes and everything under docs/. */
export const documentationPages = (): string[] => {
  const under = (dir: string): string[] =>
    readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? under(join(dir, entry.name))
        : entry.name.endsWith('.md')
          ? [join(dir, entry.name)]
          : [],
    );
  return ['README.md', 'CHANGELOG.md', ...under('docs')].sort();
};

/** A page's text, by its path from the repository root. */
export const pageText = (page: string): string => readFileSync(join(REPO_ROOT, page), 'utf8');

/** The page's text without its fenced code blocks, whose brackets and hashes are not Markdown. */
export const withoutCode = (text: string): string =>
  text.replace(/^[ \t]*```[^\n]*\n[\s\S]*?^[ \t]*```[^\n]*$/gm, '').replace(/<!--[\s\S]*?-->/g, '');

export interface Link {
  /** The target as written: a path relative to the page, an anchor, or both. */
  target: string;
  /** The line it is written on, to name it in a failure. */
  line: number;
}

/** Every inline link and image of the page that does not name a scheme (`https:`, `mailto:`). */
export const relativeLinks = (text: string): Link[] => {
  const prose = withoutCode(text);
  const links: Link[] = [];
  for (const match of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1] ?? '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    links.push({ target, line: prose.slice(0, match.index).split('\n').length });
  }
  return links;
};

/**
 * The anchors GitHub gives the page's headings: the heading's text without its Markdown, lower
 * case, with everything but letters, digits, spaces, hyphens and underscores removed and each
 * space a hyphen; a repeated slug takes `-1`, `-2` and so on.
 */
export const headingAnchors = (text: string): Set<string> => {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutCode(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const heading = (match[1] ?? '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
};

/** The path from the repository root that a link on `page` names, without its anchor. */
export const linkedPath = (page: string, target: string): string => {
  const path = target.split('#')[0] ?? '';
  return path === '' ? page : relative(REPO_ROOT, join(REPO_ROOT, page, '..', decodeURI(path)));
};

/** The section of a page under `heading` (a line such as `## The rules`), up to the next of its level. */
export const section = (text: string, heading: string): string => {
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section "${heading}"`);
  const level = heading.split(' ')[0] ?? '##';
  const next = text.slice(start + heading.length + 2).search(new RegExp(`^${level} `, 'm'));
  return next < 0 ? text.slice(start) : text.slice(start, start + heading.length + 2 + next);
};

/** The cells of each table row in `text` whose first cell is code: `| \`x\` | ... |`. */
export const tableRows = (text: string): string[][] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
