/** What a command module exports. */
export interface Command {
  /** The full help text, printed for `--help`. */
  help: string;
  /** Runs the command with the arguments after its words; resolves to the exit status. */
  run(args: readonly string[]): Promise<number>;
}
