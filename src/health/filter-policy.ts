/**
 * Whether an SNS subscription filter policy can let a message through, judged against the
 * message attributes the monitor publishes. Three answers: `yes`, `no`, and `maybe` for what this
 * does not model (an operator it does not know, a body-scoped policy): only a definite `no` for
 * every message the monitor sends makes a policy one that "matches nothing".
 */

export type Match = 'yes' | 'no' | 'maybe';

/**
 * A message attribute as the monitor sends it: a value it always has, `'any'` for a value that
 * varies with the event (its name, account, rule), or absent.
 */
export type AttributeSample = { value: string } | 'any';

export type MessageSample = Readonly<Record<string, AttributeSample>>;

/**
 * Three-valued OR (`yes` decides) and AND (`no` decides): `decisive` as soon as one result is,
 * else `maybe` when any result was, else `otherwise`.
 */
const combine =
  (decisive: Match, otherwise: Match) =>
  (results: Iterable<Match>): Match => {
    let maybe = false;
    for (const result of results) {
      if (result === decisive) return decisive;
      if (result === 'maybe') maybe = true;
    }
    return maybe ? 'maybe' : otherwise;
  };

const any = combine('yes', 'no');
const all = combine('no', 'yes');

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const yes = (holds: boolean): Match => (holds ? 'yes' : 'no');

/** A string test (`prefix`, `suffix`, `equals-ignore-case`), on a value or on any value. */
const stringTest = (attribute: AttributeSample, test: (value: string) => boolean): Match =>
  attribute === 'any' ? 'yes' : yes(test(attribute.value));

/** One value of a policy's list against an attribute the message carries (a String attribute). */
const conditionMatches = (condition: unknown, attribute: AttributeSample | undefined): Match => {
  if (!isRecord(condition)) {
    if (attribute === undefined) return 'no';
    // A number or null matches only a Number attribute or a JSON null; the monitor sends neither.
    if (typeof condition !== 'string') return 'no';
    return stringTest(attribute, (value) => value === condition);
  }
  const operators = Object.keys(condition);
  if (operators.length !== 1) return 'maybe';
  const [operator = ''] = operators;
  const operand = condition[operator];
  if (operator === 'exists') {
    if (operand === true) return yes(attribute !== undefined);
    if (operand === false) return yes(attribute === undefined);
    return 'maybe';
  }
  // Every other operator needs the attribute to be there.
  if (attribute === undefined) return 'no';
  switch (operator) {
    case 'prefix':
      return typeof operand === 'string'
        ? stringTest(attribute, (value) => value.startsWith(operand))
        : 'maybe';
    case 'suffix':
      return typeof operand === 'string'
        ? stringTest(attribute, (value) => value.endsWith(operand))
        : 'maybe';
    case 'equals-ignore-case':
      return typeof operand === 'string'
        ? stringTest(attribute, (value) => value.toLowerCase() === operand.toLowerCase())
        : 'maybe';
    case 'anything-but': {
      if (attribute === 'any') return 'yes';
      const { value } = attribute;
      if (typeof operand === 'string') return yes(value !== operand);
      if (Array.isArray(operand)) return yes(!operand.includes(value));
      if (typeof operand === 'number') return 'yes';
      if (isRecord(operand) && typeof operand.prefix === 'string') {
        return yes(!value.startsWith(operand.prefix));
      }
      if (isRecord(operand) && typeof operand.suffix === 'string') {
        return yes(!value.endsWith(operand.suffix));
      }
      return 'maybe';
    }
    case 'numeric':
      // Numeric conditions match Number attributes; the monitor's are all String.
      return 'no';
    default:
      return 'maybe';
  }
};

/** A policy object against one message's attributes: every key must match, `$or` any branch. */
const policyMatches = (policy: Record<string, unknown>, message: MessageSample): Match =>
  all(
    Object.entries(policy).map(([key, value]): Match => {
      if (key === '$or') {
        return Array.isArray(value)
          ? any(
              value.map((branch) => (isRecord(branch) ? policyMatches(branch, message) : 'maybe')),
            )
          : 'maybe';
      }
      // A nested object is a body-scoped shape; attribute policies have lists only.
      if (!Array.isArray(value)) return 'maybe';
      return any(value.map((condition) => conditionMatches(condition, message[key])));
    }),
  );

/** Whether the policy lets `message` through; a policy that is not an object is `maybe`. */
export const filterAdmits = (policy: unknown, scope: string, message: MessageSample): Match => {
  if (scope !== 'MessageAttributes' || !isRecord(policy)) return 'maybe';
  return policyMatches(policy, message);
};

/** Whether a subscription with this policy gets nothing of `messages`: a definite no for each. */
export const matchesNothing = (
  policy: unknown,
  scope: string,
  messages: readonly MessageSample[],
): boolean => messages.every((message) => filterAdmits(policy, scope, message) === 'no');

/** A filter policy of `{}` (or none) lets everything through: SNS's way to remove one. */
export const isNoFilter = (policy: unknown): boolean =>
  policy === undefined || (isRecord(policy) && Object.keys(policy).length === 0);
