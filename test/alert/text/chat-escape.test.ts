import { describe, expect, it } from 'vitest';
import { chatCode, chatJson, chatText, chatTrusted } from '../../../src/alert/text/chat-escape.js';
import { FORBIDDEN_RAW, HOSTILE } from '../alert-fixture.js';

describe('chatText', () => {
  it('turns Slack control sequences into entities', () => {
    expect(chatText('<!channel> <@U123> <http://evil|click> a&b')).toBe(
      '&lt;!channel&gt; &lt;＠U123&gt; &lt;http[:]//evil｜click&gt; a&amp;b',
    );
  });

  it('neutralises emphasis, code, strike and link syntax', () => {
    const out = chatText('*bold* _it_ ~del~ `code` [x](http://evil)');
    expect(out).not.toMatch(/[*_~`]/);
    expect(out).not.toContain('[x]');
    expect(out).not.toContain('](');
    expect(out).not.toContain('://');
    expect(out).toBe('＊bold＊ ＿it＿ ～del～ ｀code｀ ［x］(http[:]//evil)');
  });

  it('neutralises @ mentions and e-mail auto-links', () => {
    expect(chatText('@here @channel root@example.com')).toBe('＠here ＠channel root＠example.com');
  });

  it('defangs bare www names', () => {
    expect(chatText('see www.evil.example')).toBe('see www[.]evil.example');
  });

  it('neutralises emoji short codes, those of digits and hex letters too', () => {
    expect(chatText(':white_check_mark: all clear')).toBe('：white＿check＿mark： all clear');
    expect(chatText(':fire:')).toBe('：fire：');
    expect(chatText('x :-1: :100: :a: :ab:')).toBe('x ：-1： ：100： ：a： ：ab：');
    expect(chatText('2001:db8:100:1::5')).not.toMatch(/:[a-z0-9+-]+:/i);
  });

  it('keeps a hostile value on one line with no raw hidden character', () => {
    const out = chatText(HOSTILE);
    expect(out).not.toMatch(/[\n\r]/);
    expect(out).not.toMatch(FORBIDDEN_RAW);
    expect(out).not.toContain('<!channel>');
    expect(out).not.toContain('*bold*');
    expect(out).not.toContain('](');
    expect(out).not.toContain('@here');
  });

  it('is bounded', () => {
    expect(chatText('x'.repeat(10_000), 100).length).toBeLessThan(140);
  });
});

describe('chatCode', () => {
  it('wraps a value in inline code that a backtick in the value cannot close', () => {
    expect(chatCode('a`b')).toBe('`a｀b`');
  });

  it('keeps the colons of IPv6 addresses and times, where no emoji renders', () => {
    expect(chatCode('2001:db8::1 at 03:14:15')).toBe('`2001:db8::1 at 03:14:15`');
  });
});

describe('chatTrusted', () => {
  it('keeps our markdown but escapes Slack control characters', () => {
    expect(chatTrusted('*Run* --region <region> & wait')).toBe(
      '*Run* --region &lt;region&gt; &amp; wait',
    );
  });
});

describe('chatJson', () => {
  it('escapes markup inside strings only, and stays valid JSON', () => {
    const value = {
      ua: '<!channel> ```x``` a&b @here *bold* _i_ ~s~ [x](y) a|b \\ "q"',
      list: [1, { nested: ['[a]'] }],
    };
    const json = chatJson(JSON.stringify(value, null, 2));
    expect(json.replace(/^\s*[[\]{}],?$/gm, '').replace(/": \[$/gm, '')).not.toMatch(
      /[<>&@`*_~[\]|]/,
    );
    expect(JSON.parse(json)).toEqual(value);
  });
});
