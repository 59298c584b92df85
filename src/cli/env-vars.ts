import { readFile } from 'node:fs/promises';
import { escapeText } from '../alert/text/escape.js';
import { InputError } from '../intake/input-error.js';
import { parseJson } from '../intake/parse-json.js';
import { reasonOf } from './sources/read-paths.js';
import { UsageError } from './usage-error.js';

/** The shape of SAM's env.json, as `sam local invoke --env-vars` reads it. */
const ENV_VARS_SHAPE = '{"FunctionLogicalId": {"NAME": "value"}}';

/** Keys come from the file: hidden characters in them must not reach a terminal. */
const quoted = (key: string): string => JSON.stringify(escapeText(key, 200));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** SAM's key for variables every function of the file gets; a function's own entry wins. */
const SHARED = 'Parameters';

/**
 * The variables an env.json file gives one function: the one named `functionId`, or without it
 * the file's first, with the file's shared `Parameters` under them, as SAM applies them.
 * Checked, so that a typo names the file, the function and the variable.
 *
 * @throws InputError naming `path` when the file cannot be read or is not JSON
 * @throws UsageError naming `path` when it is JSON of another shape, or has no such function
 */
export const readEnvVars = async (
  path: string,
  functionId: string | undefined,
): Promise<Record<string, string>> => (await readFunctionEnvVars(path, functionId)).vars;

/** As {@link readEnvVars}, with the logical ID of the function whose variables they are. */
export const readFunctionEnvVars = async (
  path: string,
  functionId: string | undefined,
): Promise<{ functionId: string; vars: Record<string, string> }> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`${path}: ${reasonOf(error)}`);
  }
  return envVarsOf(parseJson(text, path), path, functionId);
};

const envVarsOf = (
  file: unknown,
  path: string,
  functionId: string | undefined,
): { functionId: string; vars: Record<string, string> } => {
  const named = escapeText(path, 2000);
  if (!isRecord(file)) throw new UsageError(`${named}: expected ${ENV_VARS_SHAPE}`);
  const ids = Object.keys(file).filter((key) => key !== SHARED);
  const id = functionId ?? ids[0];
  if (id === undefined || id === SHARED || !Object.hasOwn(file, id)) {
    throw new UsageError(
      `${named}: no function ${functionId === undefined ? '(any)' : quoted(functionId)}; it has ${ids.map(quoted).join(', ') || 'none'}`,
    );
  }
  const variablesOf = (key: string): [string, string][] => {
    const vars = file[key];
    if (!isRecord(vars)) {
      throw new UsageError(`${named}: ${quoted(key)} must be an object of "NAME": "value"`);
    }
    return Object.entries(vars).map(([name, value]) => {
      if (typeof value !== 'string') {
        throw new UsageError(`${named}: ${quoted(key)}.${quoted(name)} must be a string`);
      }
      return [name, value];
    });
  };
  const shared = Object.hasOwn(file, SHARED) ? variablesOf(SHARED) : [];
  // fromEntries, not assignment: a variable named __proto__ stays a variable.
  return { functionId: id, vars: Object.fromEntries([...shared, ...variablesOf(id)]) };
};
