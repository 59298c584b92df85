import { randomInt } from 'node:crypto';

/** The one middleware shape used here; every SDK client's stack accepts it at the build step. */
interface BuildStack {
  add(
    middleware: (
      next: (args: { request: unknown }) => Promise<unknown>,
    ) => (args: { request: unknown }) => Promise<unknown>,
    options: { step: 'build'; name: string },
  ): void;
}

/** A twelve-digit account id no other test uses. */
export const freshAccountId = (): string => String(randomInt(100_000_000_000, 999_999_999_999));

/**
 * Sends every request of `client` to moto as account `accountId` (moto's `x-moto-account-id`
 * header), so a test sees only what it created itself: account-wide reads such as DescribeTrails
 * or DescribeRegions' neighbours are not shared with test files running alongside.
 */
export const inAccount = <C extends { middlewareStack: object }>(
  client: C,
  accountId: string,
): C => {
  (client.middlewareStack as BuildStack).add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers !== undefined) request.headers['x-moto-account-id'] = accountId;
      return next(args);
    },
    { step: 'build', name: 'motoAccount' },
  );
  return client;
};
