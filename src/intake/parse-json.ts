import { InputError } from './input-error.js';

/** @throws InputError naming `name` */
export const parseJson = (text: string, name: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${name}: not valid JSON: ${(error as Error).message}`);
  }
};
