import { describeError } from '../errors.js';
import type { Check, CheckResult } from './check.js';

/**
 * Runs every check at once and answers in their order. A check that throws (access denied, an
 * API that does not answer) fails with the error and the actions it needs: the monitor cannot
 * vouch for what it cannot see.
 */
export const runChecks = (checks: readonly Check[], now: Date): Promise<CheckResult[]> =>
  Promise.all(
    checks.map(async (check): Promise<CheckResult> => {
      try {
        return { id: check.id, ...(await check.run(now)) };
      } catch (error) {
        return {
          id: check.id,
          ok: false,
          verdict: `could not check: ${describeError(error)}`,
          fix: `let the caller use ${check.actions.join(', ')}, and check that the API answers`,
        };
      }
    }),
  );
