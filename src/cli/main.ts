import type { Command } from './command.js';
import { UsageError } from './usage-error.js';

interface CommandEntry {
  /** The words that name the command, e.g. `['config', 'validate']`. */
  words: readonly string[];
  /** One line for the overview. */
  summary: string;
  /** Loaded only when chosen, so a command pays only for what it uses at start-up. */
  load(): Promise<Command>;
}

/**
 * Every command. To add one, add a module exporting {@link Command} and a line here.
 */
const COMMANDS: readonly CommandEntry[] = [
  {
    words: ['replay'],
    summary: 'run CloudTrail logs through the engine and print what would be alerted',
    load: () => import('./replay/command.js'),
  },
  {
    words: ['try'],
    summary: 'try the monitor locally: the samples through its functions in an AWS emulator',
    load: () => import('./try.js'),
  },
  {
    words: ['athena', 'ddl'],
    summary: 'print the Athena table for a trail, with partition projection',
    load: async () => (await import('./athena.js')).ddl,
  },
  {
    words: ['athena', 'query'],
    summary: 'run the root-usage query over days of a trail in Athena, as replay prints it',
    load: async () => (await import('./athena.js')).query,
  },
  {
    words: ['config', 'validate'],
    summary: 'check a configuration document and list every problem',
    load: () => import('./config/validate.js'),
  },
  {
    words: ['config', 'push'],
    summary: 'validate a document and store it in the SSM parameter',
    load: async () => (await import('./config/commands.js')).push,
  },
  {
    words: ['config', 'show'],
    summary: 'print the document stored in the SSM parameter',
    load: async () => (await import('./config/commands.js')).show,
  },
  {
    words: ['config', 'diff'],
    summary: 'show what pushing a document would change',
    load: async () => (await import('./config/commands.js')).diff,
  },
  {
    words: ['doctor'],
    summary: 'check that the deployed monitor can see root activity and reach a person',
    load: () => import('./doctor.js'),
  },
  {
    words: ['invoke'],
    summary: 'run the real Lambda handler once on an event file',
    load: () => import('./invoke.js'),
  },
];

const overview = (): string => {
  const names = COMMANDS.map(({ words }) => words.join(' '));
  const width = Math.max(...names.map((name) => name.length)) + 2;
  return `Usage: root-monitor COMMAND [OPTIONS]

Alerts when anyone uses an AWS account's root user. Commands:

${COMMANDS.map(({ summary }, index) => `  ${(names[index] ?? '').padEnd(width)}${summary}`).join('\n')}

Run root-monitor COMMAND --help for a command's options, root-monitor --version for the version.
`;
};

const isHelp = (arg: string | undefined): boolean =>
  arg === '--help' || arg === '-h' || arg === 'help';

/** `-V` as well, as commander-based CLIs take it (`-v` would read as verbose). */
const isVersion = (arg: string | undefined): boolean => arg === '--version' || arg === '-V';

/** The entry whose words `argv` starts with, the longest when several do. */
const commandOf = (argv: readonly string[]): CommandEntry | undefined =>
  COMMANDS.filter(({ words }) => words.every((word, index) => argv[index] === word)).sort(
    (a, b) => b.words.length - a.words.length,
  )[0];

/** Help asked for among a command's own arguments (not after `--`, where it would be a PATH). */
const wantsHelp = (args: readonly string[]): boolean => {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
};

/**
 * Runs the command `argv` names and resolves to the exit status: 0 ok, 1 when the command
 * failed on its input, 2 for a usage error.
 */
export const main = async (argv: readonly string[]): Promise<number> => {
  if (argv.length === 0) {
    process.stderr.write(overview());
    return 2;
  }
  if (isHelp(argv[0])) {
    process.stdout.write(overview());
    return 0;
  }
  if (isVersion(argv[0])) {
    const { packageVersion } = await import('./version.js');
    process.stdout.write(`${await packageVersion()}\n`);
    return 0;
  }
  const entry = commandOf(argv);
  if (entry === undefined) {
    const group = COMMANDS.filter(({ words }) => words.length > 1 && words[0] === argv[0]);
    if (group.length > 0 && (argv.length === 1 || isHelp(argv[1]))) {
      const out = argv.length === 1 ? process.stderr : process.stdout;
      out.write(
        `Usage: root-monitor ${argv[0]} ${group.map(({ words }) => words.slice(1).join(' ')).join('|')} ...\n\n${group.map(({ words, summary }) => `  root-monitor ${words.join(' ')}: ${summary}`).join('\n')}\n`,
      );
      return argv.length === 1 ? 2 : 0;
    }
    const what = group.length > 0 ? `${argv[0]} ${argv[1]}` : argv[0];
    process.stderr.write(`root-monitor: unknown command ${JSON.stringify(what)}\n\n${overview()}`);
    return 2;
  }
  const name = entry.words.join(' ');
  const args = argv.slice(entry.words.length);
  const command = await entry.load();
  if (wantsHelp(args)) {
    process.stdout.write(command.help);
    return 0;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(
      `root-monitor ${name}: ${error.message}\nRun 'root-monitor ${name} --help' for usage.\n`,
    );
    return 2;
  }
};
