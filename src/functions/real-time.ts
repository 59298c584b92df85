import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { monitorOnAws } from '../aws/monitor-on-aws.js';
import { logger } from '../logger.js';
import { EmfRecorder } from '../metrics/emf-recorder.js';
import { readSettings } from '../settings.js';

// Init: a missing setting fails here, naming the variable, before any event is accepted.
const monitor = monitorOnAws(readSettings(process.env), logger, {}, new EmfRecorder(logger));

/** Invoked by EventBridge with one CloudTrail event; see `InvocationResult` for its answer. */
export const handler = middy((event: unknown, context: Context) =>
  monitor.handle(event, context),
).use(injectLambdaContext(logger, { resetKeys: true }));
