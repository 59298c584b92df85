import type { Command } from './command.js';
import { UsageError } from './usage-error.js';

/**
 * The modules of the commands, by the first word of the commands each declares. A module is
 * loaded only when its word is typed, so a command pays only for what it uses at start-up; the
 * overview alone loads them all. To add a command, add it to its module's `commands`, or a
 * module and a line here.
 */
const MODULES = new Map<string, () => Promise<{ commands: readonly Command[] }>>([
  ['replay', () => import('./replay/command.js')],
  ['try', () => import('./try.js')],
  ['athena', () => import('./athena.js')],
  ['config', () => import('./config/commands.js')],
  ['doctor', () => import('./doctor.js')],
  ['invoke', () => import('./invoke.js')],
]);

/** The commands of the module named by `word`, or none. */
const commandsNamed = async (word: string | undefined): Promise<readonly Command[]> => {
  const load = word === undefined ? undefined : MODULES.get(word);
  return load === undefined ? [] : (await load()).commands;
};

const overview = async (): Promise<string> => {
  const commands = (await Promise.all([...MODULES.keys()].map(commandsNamed))).flat();
  const names = commands.map(({ words }) => words.join(' '));
  const width = Math.max(...names.map((name) => name.length)) + 2;
  return `Usage: root-monitor COMMAND [OPTIONS]

Alerts when anyone uses an AWS account's root user. Commands:

${commands.map(({ summary }, index) => `  ${(names[index] ?? '').padEnd(width)}${summary}`).join('\n')}

Run root-monitor COMMAND --help for a command's options, root-monitor --version for the version.
`;
};

const isHelp = (arg: string | undefined): boolean =>
  arg === '--help' || arg === '-h' || arg === 'help';

/** `-V` as well, as commander-based CLIs take it (`-v` would read as verbose). */
const isVersion = (arg: string | undefined): boolean => arg === '--version' || arg === '-V';

/** The command whose words `argv` starts with, the longest when several do. */
const commandOf = (commands: readonly Command[], argv: readonly string[]): Command | undefined =>
  commands
    .filter(({ words }) => words.every((word, index) => argv[index] === word))
    .sort((a, b) => b.words.length - a.words.length)[0];

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
    process.stderr.write(await overview());
    return 2;
  }
  if (isHelp(argv[0])) {
    process.stdout.write(await overview());
    return 0;
  }
  if (isVersion(argv[0])) {
    const { packageVersion } = await import('./version.js');
    process.stdout.write(`${await packageVersion()}\n`);
    return 0;
  }
  const commands = await commandsNamed(argv[0]);
  const command = commandOf(commands, argv);
  if (command === undefined) {
    const group = commands.filter(({ words }) => words.length > 1);
    if (group.length > 0 && (argv.length === 1 || isHelp(argv[1]))) {
      const out = argv.length === 1 ? process.stderr : process.stdout;
      out.write(
        `Usage: root-monitor ${argv[0]} ${group.map(({ words }) => words.slice(1).join(' ')).join('|')} ...\n\n${group.map(({ words, summary }) => `  root-monitor ${words.join(' ')}: ${summary}`).join('\n')}\n`,
      );
      return argv.length === 1 ? 2 : 0;
    }
    const what = group.length > 0 ? `${argv[0]} ${argv[1]}` : argv[0];
    process.stderr.write(
      `root-monitor: unknown command ${JSON.stringify(what)}\n\n${await overview()}`,
    );
    return 2;
  }
  const name = command.words.join(' ');
  const args = argv.slice(command.words.length);
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
