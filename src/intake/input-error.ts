/** Raised when an input is not in any shape root-monitor accepts. The message names the input. */
export class InputError extends Error {
  override name = 'InputError';
}
