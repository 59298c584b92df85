import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../rules/index.js';
import type { ConfigDocument } from '../../src/config/config.js';
import { defaultConfigFor } from '../../src/config/default-config.js';
import { parseConfig as parseWith } from '../../src/config/parse-config.js';

/** The documents read against the project's catalog, as the Lambda and the CLI read them. */
const parseConfig = (documents: readonly ConfigDocument[], now?: Date) =>
  parseWith(documents, CATALOG, now);

const doc = (value: unknown, source = 'config.json') => ({
  source,
  text: typeof value === 'string' ? value : JSON.stringify(value),
});

const problemsOf = (...documents: ReturnType<typeof doc>[]): readonly string[] => {
  const result = parseConfig(documents);
  if (result.valid) throw new Error('expected the document to be invalid');
  return result.problems;
};

const entry = {
  id: 'quarterly-billing',
  reason: 'Quarterly billing task, ticket SEC-42',
  eventNames: ['GetBillingData'],
  eventSources: ['billing.amazonaws.com'],
  sourceIps: ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7'],
  accounts: ['111122223333'],
  regions: ['us-east-1'],
  assumedRoot: true,
  windows: [{ days: ['Sat'], start: '22:00', end: '02:00', timezone: 'Europe/Berlin' }],
  notBefore: '2026-01-01T00:00:00Z',
  expires: '2026-12-31T23:59:59Z',
};

describe('parseConfig', () => {
  describe('a valid document', () => {
    it('accepts the broadest ranges it allows, /8 and /16', () => {
      const broad = { ...entry, sourceIps: ['10.0.0.0/8', '2001::/16'] };
      expect(parseConfig([doc({ version: 1, allow: [broad] })]).valid).toBe(true);
    });

    it('accepts the documented example with every field', () => {
      const result = parseConfig(
        [
          doc({
            version: 1,
            dedupMinutes: 15,
            rules: { 'root-activity': { enabled: true, severity: 'HIGH', dedupMinutes: 60 } },
            allow: [entry],
          }),
        ],
        new Date('2026-06-01T00:00:00Z'),
      );
      expect(result).toMatchObject({ valid: true, warnings: [] });
      if (!result.valid) return;
      expect(result.config.allow).toEqual([entry]);
      expect(result.config.rules.get('root-activity')).toEqual({
        enabled: true,
        severity: 'HIGH',
        dedupMinutes: 60,
      });
      expect(result.config.rules.get('root-console-login-failure')?.dedupMinutes).toBe(15);
    });

    it('needs only version, and defaults to a 15-minute window with nothing allowed', () => {
      const result = parseConfig([doc({ version: 1 })]);
      expect(result.valid && result.config).toEqual(defaultConfigFor(CATALOG));
      expect(defaultConfigFor(CATALOG).dedupMinutes).toBe(15);
      expect(defaultConfigFor(CATALOG).allow).toEqual([]);
    });

    it('gives the defaults for no documents at all (a missing parameter)', () => {
      expect(parseConfig([])).toEqual({
        valid: true,
        config: defaultConfigFor(CATALOG),
        warnings: [],
      });
    });

    it('lets the document-wide dedupMinutes reach every rule without its own', () => {
      const result = parseConfig([doc({ version: 1, dedupMinutes: 45 })]);
      expect(result.valid && result.config.rules.get('root-activity')?.dedupMinutes).toBe(45);
    });

    it('warns about expired entries without refusing the document', () => {
      const result = parseConfig(
        [doc({ version: 1, allow: [{ ...entry, expires: '2026-02-01T00:00:00Z' }] })],
        new Date('2026-03-01T00:00:00Z'),
      );
      expect(result.valid).toBe(true);
      expect(result.valid && result.warnings).toEqual([
        'config.json: allow[0] ("quarterly-billing"): expired at 2026-02-01T00:00:00Z; it allows nothing',
      ]);
    });
  });

  describe('an invalid document', () => {
    it('fails closed: the configuration allows nothing, never part of the document', () => {
      const result = parseConfig([
        doc({
          version: 1,
          allow: [
            { ...entry, id: 'good' },
            { ...entry, id: 'bad', sourceIps: ['x'] },
          ],
        }),
      ]);
      expect(result.valid).toBe(false);
      expect(result.config).toEqual(defaultConfigFor(CATALOG));
      expect(result.config.allow).toEqual([]);
    });

    it('names the document, the entry and the field of each problem, and lists all of them', () => {
      const problems = problemsOf(
        doc(
          {
            version: 1,
            allow: [
              {
                ...entry,
                sourceIps: ['203.0.113.0/24', '10.0.0.256/8'],
                windows: [
                  { days: ['Sat'], start: '22:00', end: '02:00', timezone: 'Mars/Olympus' },
                ],
              },
              { ...entry, id: 'second', notBefore: 'tomorrow', extra: 1 },
            ],
          },
          '/root-monitor/config',
        ),
      );
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^\/root-monitor\/config: allow\[0\] \("quarterly-billing"\)\.sourceIps\[1\]: must be an IPv4 or IPv6 address or CIDR.*\(got "10\.0\.0\.256\/8"\)$/,
          ),
          expect.stringMatching(
            /^\/root-monitor\/config: allow\[0\] \("quarterly-billing"\)\.windows\[0\]\.timezone: must be an IANA time zone/,
          ),
          expect.stringMatching(/allow\[1\] \("second"\): unknown field "extra"$/),
          expect.stringMatching(
            /allow\[1\] \("second"\)\.notBefore: must be an ISO 8601 date-time/,
          ),
        ]),
      );
      expect(problems).toHaveLength(4);
    });

    it.each([
      ['a bad CIDR prefix', { sourceIps: ['10.0.0.0/33'] }, 'sourceIps[0]'],
      ['an IPv4 shorthand', { sourceIps: ['0x7f.1'] }, 'sourceIps[0]'],
      ['a bad IPv6 prefix', { sourceIps: ['2001:db8::/129'] }, 'sourceIps[0]'],
      ['an allow-all IPv4 range', { sourceIps: ['0.0.0.0/0'] }, 'sourceIps[0]'],
      ['an allow-all IPv6 range', { sourceIps: ['::/0'] }, 'sourceIps[0]'],
      ['an IPv4 range wider than /8', { sourceIps: ['10.0.0.0/7'] }, 'sourceIps[0]'],
      ['an IPv6 range wider than /16', { sourceIps: ['2000::/3'] }, 'sourceIps[0]'],
      [
        'an allow-all range written as IPv4-mapped IPv6',
        { sourceIps: ['::ffff:0:0/96'] },
        'sourceIps[0]',
      ],
      [
        'the deprecated IPv4-compatible form, which would be read as IPv4',
        { sourceIps: ['::10.0.0.0/104'] },
        'sourceIps[0]',
      ],
      [
        'a bad time',
        { windows: [{ days: ['Sat'], start: '24:00', end: '02:00', timezone: 'UTC' }] },
        'windows[0].start',
      ],
      [
        'an unknown day',
        { windows: [{ days: ['Sun', 'Funday'], start: '01:00', end: '02:00', timezone: 'UTC' }] },
        'windows[0].days[1]',
      ],
      [
        'an empty window',
        { windows: [{ days: ['Sat'], start: '02:00', end: '02:00', timezone: 'UTC' }] },
        'windows[0].end',
      ],
      ['expiry before notBefore', { expires: '2025-01-01T00:00:00Z' }, 'expires'],
      ['a short account id', { accounts: ['1234'] }, 'accounts[0]'],
      ['an empty list', { eventNames: [] }, 'eventNames'],
    ])('refuses %s', (_name, change, field) => {
      const [problem] = problemsOf(doc({ version: 1, allow: [{ ...entry, ...change }] }));
      expect(problem).toContain(`allow[0] ("quarterly-billing").${field}:`);
    });

    it('says a type problem in the words of JSON, quoting what was there', () => {
      expect(
        problemsOf(
          doc({
            version: 1,
            dedupMinutes: '5',
            allow: [{ ...entry, eventNames: 'X', assumedRoot: 'yes' }],
          }),
        ),
      ).toEqual([
        'config.json: dedupMinutes: must be a number, got string "5"',
        'config.json: allow[0] ("quarterly-billing").eventNames: must be a list, got string "X"',
        'config.json: allow[0] ("quarterly-billing").assumedRoot: must be true or false, got string "yes"',
      ]);
      expect(problemsOf(doc({ version: 1, allow: [{ id: 'x', eventNames: ['X'] }] }))).toEqual([
        'config.json: allow[0] ("x").reason: is required',
      ]);
    });

    it('refuses an entry that names none of eventNames, eventSources, sourceIps', () => {
      const { eventNames, eventSources, sourceIps, ...allOfRoot } = entry;
      expect(problemsOf(doc({ version: 1, allow: [allOfRoot] }))).toEqual([
        expect.stringContaining(
          'allow[0] ("quarterly-billing"): must name at least one of eventNames',
        ),
      ]);
    });

    it('takes the caller and task policy of a root session as enough to name an entry', () => {
      const sessions = {
        id: 'security-team-root-sessions',
        reason: 'Bucket policy unlocks, runbook SEC-7',
        principalArns: [
          'arn:aws:iam::111122223333:role/RootTaskOperator',
          'arn:aws:sts::111122223333:assumed-role/RootTaskOperator/alice',
          'arn:aws:iam::111122223333:user/break-glass',
        ],
        taskPolicyArns: ['arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy'],
      };
      const result = parseConfig([doc({ version: 1, allow: [sessions] })]);
      expect(result).toMatchObject({ valid: true });
      if (result.valid) expect(result.config.allow).toEqual([sessions]);
    });

    it("refuses root's own ARN as a caller, and ARNs that are not a principal or a root-task policy", () => {
      const sessions = {
        id: 's',
        reason: 'r',
        principalArns: ['arn:aws:iam::111122223333:root', 'arn:aws:s3:::bucket'],
        taskPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      };
      expect(problemsOf(doc({ version: 1, allow: [sessions] }))).toEqual([
        expect.stringContaining(
          'allow[0] ("s").principalArns[0]: is root\'s own ARN, which every root call of the account carries',
        ),
        expect.stringContaining(
          'allow[0] ("s").principalArns[1]: must be the ARN of an IAM user or role, or of a role session',
        ),
        expect.stringContaining(
          'allow[0] ("s").taskPolicyArns[0]: must be the ARN of an AWS root-task policy',
        ),
      ]);
    });

    describe("the opener and task policy of a root session, for the session's own calls", () => {
      const sessionCalls = {
        id: 'bucket-unlock-calls',
        reason: 'The calls of the bucket-unlock sessions, runbook SEC-7',
        sessionPrincipalArns: [
          'arn:aws:iam::111122223333:role/RootTaskOperator',
          'arn:aws:sts::111122223333:assumed-role/RootTaskOperator/alice',
        ],
        sessionTaskPolicyArns: ['arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy'],
      };

      it('takes either as enough to name an entry, alone or beside the other fields', () => {
        const { sessionPrincipalArns, ...byPolicy } = sessionCalls;
        const { sessionTaskPolicyArns, ...byOpener } = sessionCalls;
        const narrowed = {
          ...sessionCalls,
          eventNames: ['DeleteBucketPolicy'],
          regions: ['us-west-2'],
        };
        for (const written of [sessionCalls, byPolicy, byOpener, narrowed]) {
          const result = parseConfig([doc({ version: 1, allow: [written] })]);
          expect(result).toMatchObject({ valid: true });
          if (result.valid) expect(result.config.allow).toEqual([written]);
        }
      });

      it('refuses values that are not a principal or a root-task policy, naming the field', () => {
        const bad = {
          id: 's',
          reason: 'r',
          sessionPrincipalArns: ['arn:aws:iam::444455556666:root', 'RootTaskOperator'],
          sessionTaskPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        };
        expect(problemsOf(doc({ version: 1, allow: [bad] }))).toEqual([
          'config.json: allow[0] ("s").sessionPrincipalArns[0]: is root\'s own ARN, which every root call of the account carries; name the user or role that calls sts:AssumeRoot (got "arn:aws:iam::444455556666:root")',
          'config.json: allow[0] ("s").sessionPrincipalArns[1]: must be the ARN of an IAM user or role, or of a role session, e.g. arn:aws:iam::111122223333:role/RootTaskOperator (got "RootTaskOperator")',
          'config.json: allow[0] ("s").sessionTaskPolicyArns[0]: must be the ARN of an AWS root-task policy, e.g. arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy (got "arn:aws:iam::aws:policy/AdministratorAccess")',
        ]);
      });

      it('refuses an entry that names both the AssumeRoot call and its session, which no event is', () => {
        const both = {
          ...sessionCalls,
          principalArns: ['arn:aws:iam::111122223333:role/RootTaskOperator'],
        };
        expect(problemsOf(doc({ version: 1, allow: [both] }))).toEqual([
          'config.json: allow[0] ("bucket-unlock-calls").sessionPrincipalArns: cannot be combined with principalArns or taskPolicyArns: those match the sts:AssumeRoot call, sessionPrincipalArns the calls its root session makes in the member account, and no event is both; write one entry for each',
          'config.json: allow[0] ("bucket-unlock-calls").sessionTaskPolicyArns: cannot be combined with principalArns or taskPolicyArns: those match the sts:AssumeRoot call, sessionTaskPolicyArns the calls its root session makes in the member account, and no event is both; write one entry for each',
        ]);
      });

      it('suggests the field meant, and refuses an empty list', () => {
        const { sessionPrincipalArns, ...rest } = sessionCalls;
        const misspelt = { ...rest, sessionPrincipalArn: sessionPrincipalArns };
        expect(problemsOf(doc({ version: 1, allow: [misspelt] }))).toEqual([
          'config.json: allow[0] ("bucket-unlock-calls"): unknown field "sessionPrincipalArn" (did you mean "sessionPrincipalArns"?)',
        ]);
        expect(
          problemsOf(doc({ version: 1, allow: [{ ...sessionCalls, sessionTaskPolicyArns: [] }] })),
        ).toEqual([
          'config.json: allow[0] ("bucket-unlock-calls").sessionTaskPolicyArns: must list at least one value',
        ]);
      });

      it('fails closed: a document with one bad session field allows nothing at all', () => {
        const good = { id: 'billing', reason: 'billing', eventNames: ['GetBillingData'] };
        const result = parseConfig([
          doc({
            version: 1,
            allow: [good, { ...sessionCalls, sessionTaskPolicyArns: ['S3UnlockBucketPolicy'] }],
          }),
        ]);
        expect(result.valid).toBe(false);
        expect(result.config).toEqual(defaultConfigFor(CATALOG));
        expect(result.config.allow).toEqual([]);
      });
    });

    it('refuses entries without id or reason', () => {
      const problems = problemsOf(doc({ version: 1, allow: [{ eventNames: ['X'] }] }));
      expect(problems.join('\n')).toMatch(/allow\[0\]\.id:/);
      expect(problems.join('\n')).toMatch(/allow\[0\]\.reason:/);
    });

    it('refuses duplicate ids', () => {
      expect(problemsOf(doc({ version: 1, allow: [entry, entry] }))).toEqual([
        'config.json: allow[1] ("quarterly-billing").id: duplicate id, also used at config.json allow[0]',
      ]);
    });

    it('reports duplicate ids alongside the other problems of the document', () => {
      const problems = problemsOf(
        doc({ version: 1, allow: [entry, { ...entry, sourceIps: ['nope'] }] }),
      );
      expect(problems).toEqual([
        expect.stringMatching(/allow\[1\] \("quarterly-billing"\)\.sourceIps\[0\]: must be/),
        'config.json: allow[1] ("quarterly-billing").id: duplicate id, also used at config.json allow[0]',
      ]);
    });

    it('refuses unknown top-level keys, a missing or wrong version', () => {
      expect(problemsOf(doc({ version: 1, alow: [] }))).toEqual([
        'config.json: document: unknown field "alow" (did you mean "allow"?)',
      ]);
      expect(problemsOf(doc({ allow: [] }))[0]).toMatch(/^config.json: version:/);
      expect(problemsOf(doc({ version: 2 }))[0]).toMatch(/^config.json: version: must be 1/);
    });

    it.each([
      [
        'an entry field',
        { allow: [{ ...entry, eventName: ['X'] }] },
        'allow[0] ("quarterly-billing"): unknown field "eventName" (did you mean "eventNames"?)',
      ],
      [
        'a field with two letters swapped',
        { allow: [{ ...entry, regoins: ['us-east-1'] }] },
        'allow[0] ("quarterly-billing"): unknown field "regoins" (did you mean "regions"?)',
      ],
      [
        'a window field, in another case',
        {
          allow: [
            {
              ...entry,
              windows: [{ days: ['Sat'], start: '22:00', end: '02:00', timeZone: 'UTC' }],
            },
          ],
        },
        'allow[0] ("quarterly-billing").windows[0]: unknown field "timeZone" (did you mean "timezone"?)',
      ],
      [
        'a rule override field',
        { rules: { 'root-activity': { severty: 'HIGH' } } },
        'rules."root-activity": unknown field "severty" (did you mean "severity"?)',
      ],
    ])(
      'suggests the field meant for a misspelt %s, from the fields allowed there',
      (_what, change, problem) => {
        expect(problemsOf(doc({ version: 1, ...change }))).toContain(`config.json: ${problem}`);
      },
    );

    it('suggests nothing for a field far from every allowed one', () => {
      expect(problemsOf(doc({ version: 1, allow: [{ ...entry, owner: 'alice' }] }))).toEqual([
        'config.json: allow[0] ("quarterly-billing"): unknown field "owner"',
      ]);
    });

    it('refuses a key given twice, which would let a later value hide behind an earlier one', () => {
      const text = `{"version": 1, "allow": [{"id": "vpn", "reason": "r", "sourceIps": ["203.0.113.7"],
        "expires": "2026-01-02T00:00:00Z", "sourceIps": ["10.0.0.0/8"], "expires": "2099-01-01T00:00:00Z"}]}`;

      expect(problemsOf(doc(text, 'team-a.json'))).toEqual([
        'team-a.json: allow[0] ("vpn").sourceIps: given twice; only the last value would count',
        'team-a.json: allow[0] ("vpn").expires: given twice; only the last value would count',
      ]);
    });

    it('names the entry by its id even when the id comes after the key given twice', () => {
      const text = `{"version": 1, "allow": [{"id": "a", "reason": "r", "eventNames": ["X"]},
        {"regions": ["us-east-1"], "regions": ["eu-west-1"], "id": "billing-task", "reason": "r",
        "eventNames": ["X"]}]}`;

      expect(problemsOf(doc(text))).toEqual([
        'config.json: allow[1] ("billing-task").regions: given twice; only the last value would count',
      ]);
    });

    it('compares keys decoded, and names nested places', () => {
      const text =
        '{"version": 1, "rules": {"root-console-login": {"enabled": true, "en\\u0061bled": false}}}';

      expect(problemsOf(doc(text))).toEqual([
        'config.json: rules."root-console-login".enabled: given twice; only the last value would count',
      ]);
    });

    it('refuses __proto__, which JSON keeps and the schema would skip unread', () => {
      expect(problemsOf(doc('{"version": 1, "rules": {"__proto__": 5}}'))).toEqual([
        'config.json: rules.__proto__: "__proto__" is not a valid key',
      ]);
    });

    it('keeps equal keys in different objects, and strings that only look like keys', () => {
      const text = JSON.stringify({
        version: 1,
        allow: [
          { ...entry, id: 'a', reason: 'sourceIps: ["x"]' },
          { ...entry, id: 'b' },
        ],
      });

      expect(parseConfig([doc(text)]).valid).toBe(true);
    });

    it('names the document when it is not JSON or not an object', () => {
      expect(problemsOf(doc('{"version": 1,', 'team-a.json'))[0]).toMatch(
        /^team-a.json: not valid JSON: /,
      );
      expect(problemsOf(doc('[]', 'team-a.json'))[0]).toMatch(/^team-a.json: document: /);
    });

    describe('rule overrides', () => {
      it('refuses an unknown rule id', () => {
        expect(problemsOf(doc({ version: 1, rules: { 'root-everything': {} } }))[0]).toMatch(
          /rules\."root-everything": unknown rule id; known rules: root-console-login-without-mfa/,
        );
      });

      it('refuses any change to a rule that is not allowlistable', () => {
        expect(
          problemsOf(doc({ version: 1, rules: { 'root-mfa-removed': { severity: 'LOW' } } })),
        ).toEqual([
          'config.json: rules."root-mfa-removed": this rule is not allowlistable, so no document may disable or change it',
        ]);
      });

      it('refuses disabling the fallback rule', () => {
        expect(
          problemsOf(doc({ version: 1, rules: { 'root-activity': { enabled: false } } }))[0],
        ).toMatch(/rules\."root-activity"\.enabled: the fallback rule cannot be disabled/);
      });

      it('refuses a dedup window on a rule that alerts once per event', () => {
        expect(
          problemsOf(doc({ version: 1, rules: { 'root-console-login': { dedupMinutes: 5 } } }))[0],
        ).toMatch(/rules\."root-console-login"\.dedupMinutes: this rule alerts once per event/);
      });

      it('refuses a bad severity or window', () => {
        const problems = problemsOf(
          doc({
            version: 1,
            rules: { 'root-activity': { severity: 'URGENT', dedupMinutes: 1.5 } },
          }),
        );
        expect(problems.join('\n')).toMatch(/rules\."root-activity"\.severity: must be one of/);
        expect(problems.join('\n')).toMatch(
          /rules\."root-activity"\.dedupMinutes: must be a whole/,
        );
      });
    });
  });

  describe('several documents (an SSM path)', () => {
    it('merges allow lists and rule overrides', () => {
      const result = parseConfig([
        doc({ version: 1, allow: [{ ...entry, id: 'a' }] }, '/rm/team-a'),
        doc(
          {
            version: 1,
            rules: { 'root-console-login': { severity: 'MEDIUM' } },
            allow: [{ ...entry, id: 'b' }],
          },
          '/rm/team-b',
        ),
      ]);
      expect(result.valid).toBe(true);
      if (!result.valid) return;
      expect(result.config.allow.map((e) => e.id)).toEqual(['a', 'b']);
      expect(result.config.rules.get('root-console-login')?.severity).toBe('MEDIUM');
    });

    it('refuses the same id, rule or a different dedupMinutes in two documents, naming both', () => {
      const problems = problemsOf(
        doc(
          { version: 1, dedupMinutes: 10, rules: { 'root-activity': {} }, allow: [entry] },
          '/rm/a',
        ),
        doc(
          { version: 1, dedupMinutes: 20, rules: { 'root-activity': {} }, allow: [entry] },
          '/rm/b',
        ),
      );
      expect(problems).toEqual([
        'dedupMinutes: documents disagree (/rm/a: 10, /rm/b: 20); set it in one document',
        '/rm/b: rules."root-activity": also set by /rm/a; set each rule in one document',
        '/rm/b: allow[0] ("quarterly-billing").id: duplicate id, also used at /rm/a allow[0]',
      ]);
    });

    it('invalidates the whole set when one document is invalid', () => {
      const result = parseConfig([
        doc({ version: 1, allow: [entry] }, '/rm/good'),
        doc('not json', '/rm/bad'),
      ]);
      expect(result).toMatchObject({ valid: false, config: { allow: [] } });
    });
  });
});
