import { WriteStream } from 'node:tty';
import { describe, expect, it } from 'vitest';
import { paintFor } from '../../src/cli/colour.js';

/** A terminal as Node describes one, deciding on colour with Node's own rules. */
const terminal = { isTTY: true, hasColors: WriteStream.prototype.hasColors };
const RED = '\u001b[31mCRITICAL\u001b[39m';

describe('paintFor', () => {
  it('colours a terminal that has colours', () => {
    const paint = paintFor(terminal, { TERM: 'xterm-256color' });

    expect(paint('red', 'CRITICAL')).toBe(RED);
  });

  it('leaves text plain under NO_COLOR, NODE_DISABLE_COLORS or TERM=dumb', () => {
    for (const env of [
      { TERM: 'xterm-256color', NO_COLOR: '1' },
      { TERM: 'xterm-256color', NODE_DISABLE_COLORS: '1' },
      { TERM: 'dumb' },
    ]) {
      expect(paintFor(terminal, env)('red', 'CRITICAL')).toBe('CRITICAL');
    }
  });

  it('leaves text plain for a pipe or a file, whatever the environment says', () => {
    const paint = paintFor({ isTTY: false }, { TERM: 'xterm-256color', FORCE_COLOR: '1' });

    expect(paint('red', 'CRITICAL')).toBe('CRITICAL');
  });
});
