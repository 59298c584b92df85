import type { PipelineLogger } from '../../src/pipeline/ports.js';

export interface LogLine {
  level: 'critical' | 'error' | 'warn' | 'info' | 'debug';
  message: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps what the pipeline logged, to assert on the lines people search for. */
export const recordingLogger = (): PipelineLogger & { lines: LogLine[] } => {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (message: unknown, ...extra: unknown[]): void => {
      lines.push({ level, message: String(message), fields: Object.assign({}, ...extra) });
    };
  return {
    lines,
    critical: at('critical'),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
  };
};
