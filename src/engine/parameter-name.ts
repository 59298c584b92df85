/**
 * Whether an SSM identifier (a name as a call wrote it, or an ARN) names the configured
 * parameter, or a parameter under the configured path when it ends in `/`.
 */
export const parameterMatcher = (configured: string): ((identifier: string) => boolean) => {
  const wanted = parameterNameOf(configured);
  return configured.endsWith('/')
    ? (identifier) => parameterNameOf(identifier).startsWith(wanted)
    : (identifier) => parameterNameOf(identifier) === wanted;
};

// arn:aws:ssm:us-east-1:111122223333:parameter/root-monitor/config and /root-monitor/config
// name the same parameter; the leading slash is dropped so both compare equal.
const parameterNameOf = (identifier: string): string =>
  identifier.replace(/^arn:[^:]+:ssm:[^:]*:[^:]*:parameter/, '').replace(/^\//, '');
