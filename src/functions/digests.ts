import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { digestScheduleOnAws } from '../aws/digests-on-aws.js';
import { logger } from '../logger.js';
import { EmfRecorder } from '../metrics/emf-recorder.js';
import { readAlertingSettings } from '../settings.js';

// Init: a missing setting fails here, naming the variable.
const schedule = digestScheduleOnAws(
  readAlertingSettings(process.env),
  logger,
  {},
  undefined,
  new EmfRecorder(logger),
);

/**
 * Invoked by the stack's five-minute schedule: sends the digest of every collapse window that
 * closed after counting events, and answers what it sent. A digest that cannot be published is
 * left for the next run, not thrown for.
 */
export const handler = middy((event: unknown, context: Context) =>
  schedule.handle(event, context),
).use(injectLambdaContext(logger, { resetKeys: true }));
