import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { scheduledCheckOnAws } from '../aws/health/scheduled-check-on-aws.js';
import { readHealthSettings } from '../health/health-settings.js';
import { logger } from '../logger.js';

// Init: a missing setting fails here, naming the variable.
const scheduledCheck = scheduledCheckOnAws(readHealthSettings(process.env), logger);

/**
 * Invoked by the stack's schedule (hourly by default): runs the health checks, writes a metric
 * for each, and alerts once a day for each that fails. Throws when such an alert could not be
 * sent, so Lambda's retry runs the checks again.
 */
export const handler = middy((event: unknown, context: Context) =>
  scheduledCheck.handle(event, context),
).use(injectLambdaContext(logger, { resetKeys: true }));
