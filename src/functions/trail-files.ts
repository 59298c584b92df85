import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { handleTrailFileInput, trailFileFunctionOnAws } from '../aws/trail-file-queue.js';
import { logger } from '../logger.js';
import { EmfRecorder } from '../metrics/emf-recorder.js';
import { readSettings } from '../settings.js';

// Init: a missing setting fails here, naming the variable, before any message is taken.
const trailFiles = trailFileFunctionOnAws(
  readSettings(process.env),
  logger,
  {},
  new EmfRecorder(logger),
);

/**
 * Invoked by SQS with notifications of new CloudTrail log files; answers with the messages that
 * failed (`batchItemFailures`), so only those come back.
 */
export const handler = middy((event: unknown, context: Context) =>
  handleTrailFileInput(trailFiles, event, logger, context),
).use(injectLambdaContext(logger, { resetKeys: true }));
