import type { SnsPublishRequest } from '../alert/render/sns-request.js';
import { describeError } from '../errors.js';
import type { PipelineLogger } from './ports.js';

/**
 * The message as published: in full, or plainly when rendering it failed (a bug, or an event no
 * test foresaw), never not at all. The failure is logged with the fields that name the message.
 */
export const renderedOrPlain = (
  render: () => SnsPublishRequest,
  plain: (renderError: string) => SnsPublishRequest,
  failure: { logger: PipelineLogger; message: string; fields: Record<string, unknown> },
): SnsPublishRequest => {
  try {
    return render();
  } catch (error) {
    const renderError = describeError(error);
    failure.logger.error(failure.message, { error: renderError, ...failure.fields });
    return plain(renderError);
  }
};
