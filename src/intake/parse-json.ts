import { InputError } from './shapes.js';

/** @throws InputError naming `name` */
export const parseJson = (text: string, name: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${name}: not valid JSON: ${(error as Error).message}`);
  }
};
