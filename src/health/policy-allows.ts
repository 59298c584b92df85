/**
 * Whether a policy lets one principal make one call, evaluated as IAM evaluates the statements of
 * one policy: an explicit Deny wins, then some Allow must apply. Enough of IAM to judge a key
 * policy, a role's trust policy or its permissions against the calls the monitor depends on, not a
 * general evaluator: what it does not know (an unknown condition operator) counts against an
 * Allow and for a Deny, so that an unfamiliar policy fails a check rather than passes it.
 */

export interface PolicyRequest {
  /**
   * A service principal (`cloudwatch.amazonaws.com`), the caller's identities (its ARN, its
   * account's root ARN and id), or `identity` for a policy attached to the caller, whose
   * statements name no principal.
   */
  principal: { service: string } | { aws: readonly string[] } | 'identity';
  action: string;
  /** The resource called, matched against each statement's Resource; any when absent. */
  resource?: string;
  /** The request's condition keys and values (`aws:SourceArn`, `kms:ViaService`...). */
  context: Readonly<Record<string, string>>;
  /**
   * What a condition on a key absent from `context` means: `absent`, as IAM treats it (the
   * request does not carry it), when the context is the whole request; `unknown`, a condition
   * that could hold, when the request carries keys this model cannot know (a trail's ARN in the
   * encryption context of someone else's key).
   */
  missingKeys: 'absent' | 'unknown';
}

export interface PolicyVerdict {
  allowed: boolean;
  /** The Sid (or position) of the Deny that refuses it, when one does. */
  deniedBy?: string;
}

type Statement = Record<string, unknown>;

const list = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const strings = (value: unknown): string[] => list(value).map(String);

/** IAM's glob: `*` any run of characters, `?` one. */
const globMatches = (pattern: string, text: string, ignoreCase = false): boolean => {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'i' : '').test(text);
};

const principalMatches = (principal: unknown, request: PolicyRequest['principal']): boolean => {
  if (request === 'identity') return true;
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const named = principal as Record<string, unknown>;
  if ('service' in request) return strings(named.Service).includes(request.service);
  return strings(named.AWS).some((who) => who === '*' || request.aws.includes(who));
};

const actionMatches = (patterns: unknown, action: string): boolean =>
  strings(patterns).some((pattern) => globMatches(pattern, action, true));

type Truth = boolean | 'unknown';

/** A condition key's value in the request: IAM reads keys whatever their case (`AWS:SourceArn`). */
const contextValue = (context: PolicyRequest['context'], key: string): string | undefined =>
  context[key] ??
  Object.entries(context).find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1];

/** The operators modelled, by their positive name: whether one wanted value matches. */
const VALUE_TESTS: Record<string, (wanted: string, actual: string) => boolean> = {
  StringEquals: (wanted, actual) => wanted === actual,
  ArnEquals: (wanted, actual) => wanted === actual,
  StringEqualsIgnoreCase: (wanted, actual) => wanted.toLowerCase() === actual.toLowerCase(),
  StringLike: (wanted, actual) => globMatches(wanted, actual),
  ArnLike: (wanted, actual) => globMatches(wanted, actual),
  Bool: (wanted, actual) => wanted === actual,
};

/** One operator over one key's values, or 'unknown' for an operator this does not model. */
const operatorHolds = (
  operator: string,
  wanted: readonly string[],
  actual: string | undefined,
  missingKeys: PolicyRequest['missingKeys'],
): Truth => {
  const ifExists = operator.endsWith('IfExists');
  const base = operator.replace(/^For(Any|All)Value:/, '').replace(/IfExists$/, '');
  // A key the model cannot know may hold any value: satisfiable, for an Allow and a Deny alike.
  if (actual === undefined && missingKeys === 'unknown') return true;
  if (base === 'Null') return wanted.includes(String(actual === undefined));
  const negated = /Not/.test(base);
  const test = VALUE_TESTS[base.replace('Not', '')];
  if (test === undefined) return 'unknown';
  if (actual === undefined) {
    if (ifExists) return true;
    // IAM: a key the request lacks matches no value; a negated operator then holds.
    return negated;
  }
  const matched = wanted.some((value) => test(value, actual));
  return negated ? !matched : matched;
};

const conditionsHold = (condition: unknown, request: PolicyRequest): Truth => {
  if (condition === undefined) return true;
  if (typeof condition !== 'object' || condition === null) return 'unknown';
  let unknown = false;
  for (const [operator, keys] of Object.entries(condition as Record<string, unknown>)) {
    if (typeof keys !== 'object' || keys === null) return 'unknown';
    for (const [key, values] of Object.entries(keys as Record<string, unknown>)) {
      const holds = operatorHolds(
        operator,
        strings(values),
        contextValue(request.context, key),
        request.missingKeys,
      );
      if (holds === false) return false;
      if (holds === 'unknown') unknown = true;
    }
  }
  return unknown ? 'unknown' : true;
};

const applies = (statement: Statement, request: PolicyRequest): Truth => {
  if ('NotPrincipal' in statement) {
    if (principalMatches(statement.NotPrincipal, request.principal)) return false;
  } else if (!principalMatches(statement.Principal, request.principal)) {
    return false;
  }
  if ('NotAction' in statement) {
    if (actionMatches(statement.NotAction, request.action)) return false;
  } else if (!actionMatches(statement.Action, request.action)) {
    return false;
  }
  if (request.resource !== undefined) {
    const resource = request.resource;
    if ('NotResource' in statement) {
      if (strings(statement.NotResource).some((pattern) => globMatches(pattern, resource))) {
        return false;
      }
    } else if (!strings(statement.Resource).some((pattern) => globMatches(pattern, resource))) {
      return false;
    }
  }
  return conditionsHold(statement.Condition, request);
};

/** The policy's verdict on one request. A policy that is not a JSON policy allows nothing. */
export const policyAllows = (policy: unknown, request: PolicyRequest): PolicyVerdict => {
  const statements =
    typeof policy === 'object' && policy !== null
      ? list((policy as Record<string, unknown>).Statement).filter(
          (statement): statement is Statement =>
            typeof statement === 'object' && statement !== null,
        )
      : [];
  const denial = statements.findIndex(
    (statement) => statement.Effect === 'Deny' && applies(statement, request) !== false,
  );
  if (denial >= 0) {
    const sid = statements[denial]?.Sid;
    return { allowed: false, deniedBy: typeof sid === 'string' ? sid : `statement ${denial + 1}` };
  }
  return {
    allowed: statements.some(
      (statement) => statement.Effect === 'Allow' && applies(statement, request) === true,
    ),
  };
};
