import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { guardOnAws } from '../aws/guard-on-aws.js';
import { logger } from '../logger.js';
import { EmfRecorder } from '../metrics/emf-recorder.js';
import { readSettings } from '../settings.js';

// Init: a missing setting fails here, naming the variable, before any event is accepted.
const guard = guardOnAws(readSettings(process.env), logger, {}, undefined, new EmfRecorder(logger));

/**
 * Invoked by EventBridge with one CloudTrail event that changes the monitor, by any identity;
 * answers what it announced. Throws when an announcement could not be published, so Lambda
 * retries it.
 */
export const handler = middy((event: unknown, context: Context) =>
  guard.handle(event, context),
).use(injectLambdaContext(logger, { resetKeys: true }));
