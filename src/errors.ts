/** An error as one log or message line: `ThrottlingException: Rate exceeded`. */
export const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
