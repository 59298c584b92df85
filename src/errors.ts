/**
 * The base of every error root-monitor raises on purpose (a bad input, a missing setting, a
 * claim another invocation holds), so that one `instanceof` tells them from a bug or an SDK's
 * error. Each class stays with its feature and names itself with a literal: the functions'
 * bundles are minified, which renames classes, so `new.target.name` would log a mangled name.
 */
export abstract class RootMonitorError extends Error {
  abstract override name: string;
}

/** An error as one log or message line: `ThrottlingException: Rate exceeded`. */
export const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
