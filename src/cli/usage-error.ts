import { RootMonitorError } from '../errors.js';
/** A command line that cannot be run as given. The CLI prints the message and exits with 2. */
export class UsageError extends RootMonitorError {
  override name = 'UsageError';
}
