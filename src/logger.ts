import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger. Level and service name come from POWERTOOLS_LOG_LEVEL (or the Lambda's
 * AWS_LAMBDA_LOG_LEVEL) and POWERTOOLS_SERVICE_NAME, never from code.
 */
export const logger = new Logger({ serviceName: 'root-monitor' });
