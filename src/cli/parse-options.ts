import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `parseArgs` for one command, strict, with errors that name the flag in the command's words.
 *
 * @throws UsageError for an unknown option, a missing value or a value given to a switch
 */
export const parseOptions = <const O extends Options>(args: readonly string[], options: O) => {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(usageMessage(error));
  }
};

/** The {@link parseOptions} table for options that each take a value: `--name VALUE`. */
export const valueOptions = <const N extends string>(
  names: readonly N[],
): { [K in N]: { type: 'string' } } =>
  Object.fromEntries(names.map((name) => [name, { type: 'string' }])) as {
    [K in N]: { type: 'string' };
  };

const usageMessage = (error: unknown): string => {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  // Node quotes the option first: `Unknown option '--bogus'...`, `Option '-h, --help' does...`.
  const option = /'(?:-\w, )?(-{1,2}[^'\s,]+)/.exec(message)?.[1];
  if (option === undefined) return message;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('does not take an argument')) return `option ${option} takes no value`;
    return `option ${option} needs a value (write ${option}=VALUE for a value that starts with -)`;
  }
  return message;
};
