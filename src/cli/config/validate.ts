import { readFile } from 'node:fs/promises';
import { CATALOG } from '../../../rules/index.js';
import { parseConfig } from '../../config/parse-config.js';
import { printable } from '../output.js';
import { parseOptions } from '../parse-options.js';
import { reasonOf } from '../sources/read-paths.js';
import { UsageError } from '../usage-error.js';

export const help = `Usage: root-monitor config validate FILE

Checks a configuration document the way the Lambda does and lists every problem, one per
line, naming the allowlist entry and field. Warns about allowlist entries that have expired
(they allow nothing any more). Nothing is changed anywhere.

Exit status: 0 when the document is valid (warnings included), 1 when it is invalid or cannot
be read, 2 for a usage error.
`;

export const run = async (args: readonly string[]): Promise<number> => {
  const { positionals } = parseOptions(args, {});
  const [path, ...extra] = positionals;
  if (path === undefined) throw new UsageError('name the FILE to validate');
  if (extra.length > 0) throw new UsageError(`one FILE at a time (also got ${extra.join(' ')})`);

  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    process.stderr.write(`${printable(path)}: ${reasonOf(error)}\n`);
    return 1;
  }
  const result = parseConfig([{ source: path, text }], CATALOG);
  if (!result.valid) {
    for (const problem of result.problems) process.stdout.write(`${printable(problem)}\n`);
    process.stderr.write(
      `${printable(path)}: invalid (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}); a Lambda given it would allow nothing\n`,
    );
    return 1;
  }
  for (const warning of result.warnings) process.stdout.write(`warning: ${printable(warning)}\n`);
  const entries = result.config.allow.length;
  process.stderr.write(
    `${printable(path)}: valid, ${entries} allowlist entr${entries === 1 ? 'y' : 'ies'}\n`,
  );
  return 0;
};
