import type { ArchiveItem } from '../sources/archive-item.js';
import type { FormatOptions } from './formats/format.js';
import { formatOption } from './formats/format-for.js';
import { monitorContextOf } from './monitor-context.js';
import { dedupMinutesOption, loadConfig } from './replay-config.js';
import { type ReplayHooks, runReplay } from './run.js';

/** The options replay shares with athena query: configuration, the monitor's resources, output. */
export const replayOptions = {
  config: { type: 'string' },
  'env-vars': { type: 'string' },
  function: { type: 'string' },
  'dedup-minutes': { type: 'string' },
  format: { type: 'string', default: 'text' },
} as const;

/** Replay, ready to run over any source of items. */
export interface ReplaySetup {
  run(items: (hooks: ReplayHooks) => AsyncIterable<ArchiveItem>): Promise<number>;
}

/**
 * Checks the shared options and loads what they name: the configuration, the monitor's
 * resources, the output format. Undefined (after saying why) when the configuration cannot be
 * used.
 */
export const replaySetup = async (values: {
  config?: string | undefined;
  'env-vars'?: string | undefined;
  function?: string | undefined;
  'dedup-minutes'?: string | undefined;
  format?: string | undefined;
  'show-files'?: boolean | undefined;
  'show-ignored'?: boolean | undefined;
}): Promise<ReplaySetup | undefined> => {
  const format = formatOption(values.format);
  const options: FormatOptions = {
    showFiles: values['show-files'] === true,
    showIgnored: values['show-ignored'] === true,
  };
  const dedupMinutes = await dedupMinutesOption(values['dedup-minutes']);
  const context = await monitorContextOf(values['env-vars'], values.function);
  const config = await loadConfig(values.config, dedupMinutes);
  if (config === undefined) return undefined;
  return { run: (items) => runReplay(items, config, context, format, options) };
};
