/** The checks, in the order they are run and shown: from the trail that records to the person paged. */
export const CHECK_IDS = [
  'trail',
  'rule',
  'functions',
  'regions',
  'accounts',
  'backstop',
  'subscribers',
  'keys',
  'parked',
  'digests',
  'config',
  'drift',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

/** What one check found. Verdicts and fixes may quote resource names: escape them for display. */
export type Finding =
  | { ok: true; verdict: string }
  | {
      ok: false;
      /** One line: what is wrong, and what it means for the monitor. */
      verdict: string;
      /** One line: what to do about it, as a command where one does it. */
      fix: string;
    };

export type CheckResult = Finding & { id: CheckId };

/** One health check. It reads AWS through small adapters and never changes anything. */
export interface Check {
  id: CheckId;
  /**
   * The IAM actions it calls, named in the fix when it could not run (access denied, a
   * throttled or unreachable API): a check that cannot look is a failing check.
   */
  actions: readonly string[];
  run(now: Date): Promise<Finding>;
}

export const pass = (verdict: string): Finding => ({ ok: true, verdict });

export const fail = (verdict: string, fix: string): Finding => ({ ok: false, verdict, fix });
