import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger. The level comes from POWERTOOLS_LOG_LEVEL (or the Lambda's
 * AWS_LAMBDA_LOG_LEVEL). A service name given to the constructor would win over
 * POWERTOOLS_SERVICE_NAME, so the environment is read here and the name is only a fallback.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME?.trim() || 'root-monitor',
});
