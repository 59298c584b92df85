import { SNSClient } from '@aws-sdk/client-sns';

/**
 * What the AWS SDK lacks to make any call, in one line naming what to set; undefined when it has
 * a Region and credentials. Asked of an SDK client, so that the answer follows the SDK's own
 * chains (the environment, the shared config and credentials files, SSO, a container's role)
 * rather than a copy of them. Without it, a handler run logs its way through every failed call
 * before the SDK's own `Region is missing` ends it.
 */
export const missingAwsAccess = async (env: NodeJS.ProcessEnv): Promise<string | undefined> => {
  const client = new SNSClient({});
  try {
    try {
      await client.config.region();
    } catch {
      // The JavaScript SDK reads AWS_REGION only; the CLI and Python also read AWS_DEFAULT_REGION.
      const defaultOnly = env.AWS_DEFAULT_REGION
        ? ` (AWS_DEFAULT_REGION is set, but the JavaScript SDK reads only AWS_REGION)`
        : '';
      return `no AWS Region${defaultOnly}: set AWS_REGION, in the shell or in the --env-vars file's entry for the function, e.g. AWS_REGION=us-east-1`;
    }
    try {
      await client.config.credentials();
    } catch (error) {
      const reason = error instanceof Error ? ` (${error.message.split('\n')[0]})` : '';
      return `no AWS credentials${reason}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any values for an emulator at AWS_ENDPOINT_URL), or AWS_PROFILE to a profile of ~/.aws/config (after aws sso login for an SSO profile)`;
    }
    return undefined;
  } finally {
    client.destroy();
  }
};
