/** One command of the CLI, as its module declares it in its `commands`. */
export interface Command {
  /** The words that name the command, e.g. `['config', 'validate']`. */
  words: readonly string[];
  /** One line for the overview. */
  summary: string;
  /** The full help text, printed for `--help`. */
  help: string;
  /** Runs the command with the arguments after its words; resolves to the exit status. */
  run(args: readonly string[]): Promise<number>;
}
