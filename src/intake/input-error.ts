import { RootMonitorError } from '../errors.js';

/** Raised when an input is not in any shape root-monitor accepts. The message names the input. */
export class InputError extends RootMonitorError {
  override name = 'InputError';
}
