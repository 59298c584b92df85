import { UsageError } from '../../usage-error.js';
import type { FormatOptions, ReplayFormat } from './format.js';
import { jsonFormat } from './json.js';

/** The formats replay prints in (`--format`). */
const FORMATS = ['text', 'email', 'json'] as const;

export type FormatName = (typeof FORMATS)[number];

const isFormatName = (name: string | undefined): name is FormatName =>
  name !== undefined && (FORMATS as readonly string[]).includes(name);

/** Each format's modules are loaded only when chosen: JSON output does not pay for alert text. */
export const formatFor = async (
  name: FormatName,
  options: FormatOptions,
): Promise<ReplayFormat> => {
  if (name === 'json') return jsonFormat(options);
  if (name === 'email') return (await import('./email.js')).emailFormat(options);
  const [{ textFormat }, { paintFor }] = await Promise.all([
    import('./text.js'),
    import('../../colour.js'),
  ]);
  return textFormat(paintFor(process.stdout), options);
};

/** `--format`, checked: one of FORMATS. */
export const formatOption = (format: string | undefined): FormatName => {
  if (!isFormatName(format)) {
    throw new UsageError(
      `--format must be ${FORMATS.join(', ').replace(/, (?=[^,]*$)/, ' or ')}, got ${JSON.stringify(format)}`,
    );
  }
  return format;
};
