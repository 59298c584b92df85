import { describe, expect, it } from 'vitest';
import {
  asciiOnly,
  escapeJson,
  escapeText,
  truncateAscii,
} from '../../../src/alert/text/escape.js';
import { FORBIDDEN_RAW, HOSTILE } from '../alert-fixture.js';

describe('escapeText', () => {
  it('shows line breaks, controls and ESC as visible escapes', () => {
    expect(escapeText('a\nb\r\tc\u0000\u001b[31m\u007f\u0085')).toBe(
      'a\\nb\\r\\tc\\u0000\\u001b[31m\\u007f\\u0085',
    );
  });

  it('shows bidi overrides, isolates, zero-width and separator characters', () => {
    expect(escapeText('x\u202ey\u2066z\u200b\u200d\ufeff\u2028\u2029\u00ad')).toBe(
      'x\\u202ey\\u2066z\\u200b\\u200d\\ufeff\\u2028\\u2029\\u00ad',
    );
  });

  it('shows invisible tag characters, lone surrogates and odd spaces', () => {
    expect(escapeText('a\u{e0041}b\ud800c\u00a0d\u3164')).toBe(
      'a\\u{e0041}b\\ud800c\\u00a0d\\u3164',
    );
  });

  it('defangs URLs so a mail client does not link them', () => {
    expect(escapeText('see http://evil.example/x')).toBe('see http[:]//evil.example/x');
    expect(escapeText('see WWW.evil.example')).toBe('see WWW[.]evil.example');
  });

  it('defangs www. right after an escape, where no word boundary shows it', () => {
    expect(escapeText('a\nwww.evil.example')).toBe('a\\nwww[.]evil.example');
    expect(escapeJson(JSON.stringify({ m: 'a\u202ewww.evil.example' }))).not.toContain('www.');
  });

  it('doubles backslashes, so a typed "\\n" cannot pass for an escaped line break', () => {
    expect(escapeText('a\\nb')).toBe('a\\\\nb');
  });

  it('keeps ordinary text, accents and emoji', () => {
    expect(escapeText('Mozilla/5.0 (X11) café 😀')).toBe('Mozilla/5.0 (X11) café 😀');
  });

  it('truncates long values with a marker saying how much was left out', () => {
    const out = escapeText('a'.repeat(1_000_000), 20);
    expect(out).toBe(`${'a'.repeat(20)} [... 999980 more characters]`);
  });

  it('never cuts an escape in half', () => {
    expect(escapeText('abc\u202edef', 7)).toBe('abc [... 4 more characters]');
  });

  it('leaves no line break and no hidden character in a hostile value', () => {
    expect('x\u202ey').toMatch(FORBIDDEN_RAW);
    expect('x\u001by').toMatch(FORBIDDEN_RAW);
    const out = escapeText(HOSTILE);
    expect(out).not.toContain('\n');
    expect(out).not.toMatch(FORBIDDEN_RAW);
    expect(out).toContain('curl\\n\\nSEVERITY: LOW');
  });
});

describe('escapeJson', () => {
  it('keeps the line feeds that indent JSON and the document valid', () => {
    const value = { a: { b: ['x\ny'] } };
    const json = escapeJson(JSON.stringify(value, null, 2));
    expect(json.split('\n')).toHaveLength(7);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('defangs URLs with valid JSON escapes', () => {
    const value = { to: 'https://www.evil.example/login' };
    const json = escapeJson(JSON.stringify(value));
    expect(json).not.toContain('://');
    expect(json).not.toContain('www.');
    expect(JSON.parse(json)).toEqual(value);
  });

  it('escapes what JSON.stringify leaves raw and stays valid JSON', () => {
    const value = { ua: 'a\u202eb\u200bc\u2028d\u0085e\u{e0041}' };
    const json = escapeJson(JSON.stringify(value));
    expect(json).not.toMatch(/[\u202e\u200b\u2028\u0085]/u);
    expect(json).toContain('\\u202e');
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('asciiOnly', () => {
  it('keeps printable ASCII and replaces everything else', () => {
    expect(asciiOnly('Caf\u00e9 \u202e\n\u001b[31m 😀 ok')).toBe('Cafe ???[31m ? ok');
  });

  it('collapses runs of spaces and trims', () => {
    expect(asciiOnly('  a    b  ')).toBe('a b');
  });
});

describe('truncateAscii', () => {
  it('ends a cut value with an ellipsis within the limit', () => {
    const out = truncateAscii('x'.repeat(200), 50);
    expect(out).toHaveLength(50);
    expect(out.endsWith('...')).toBe(true);
  });

  it('leaves a short value alone', () => {
    expect(truncateAscii('short', 50)).toBe('short');
  });
});
