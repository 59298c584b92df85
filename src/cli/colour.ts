import util from 'node:util';

/** The few styles the CLI uses. Each marks text of ours, never a whole field an event supplies. */
export type StyleName = 'bold' | 'dim' | 'red' | 'yellow' | 'green' | 'cyan';

/** Wraps already-escaped text in a style, or returns it as it is when colour is off. */
export type Paint = (style: StyleName, text: string) => string;

const plain: Paint = (_style, text) => text;

/** What colour needs of an output stream: `tty.WriteStream` has both. */
export interface ColourTarget {
  isTTY?: boolean;
  hasColors?: (env?: NodeJS.ProcessEnv) => boolean;
}

/**
 * Colour for a terminal only. Node's `hasColors` reads `NO_COLOR`, `NODE_DISABLE_COLORS`,
 * `FORCE_COLOR` and `TERM=dumb`, so those work as users expect. A pipe or a file gets plain
 * text, which `grep` and `less` read as written. `util.styleText` arrived in Node 20.12; before
 * it there is no colour rather than a crash.
 */
export const paintFor = (target: ColourTarget, env: NodeJS.ProcessEnv = process.env): Paint => {
  const styleText = (util as Partial<typeof util>).styleText;
  if (styleText === undefined || target.isTTY !== true || target.hasColors?.(env) !== true) {
    return plain;
  }
  // The decision is made here, for the stream written to; styleText would ask process.stdout.
  return (style, text) => (text === '' ? text : styleText(style, text, { validateStream: false }));
};
