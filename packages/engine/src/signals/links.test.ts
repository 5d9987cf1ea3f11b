import { describe, expect, it } from 'vitest';
import { canonicalLink } from './canonical-link.js';
import { linksSignal } from './links.js';

describe('canonicalLink', () => {
  it('recognises one Telegram invite behind every host and spelling', () => {
    const keys = [
      'https://t.me/+AbCdEf123',
      't.me/joinchat/AbCdEf123',
      'http://telegram.me/+AbCdEf123/',
      'https://telegram.dog/joinchat/AbCdEf123?utm_source=x',
    ].map((link) => canonicalLink(link)?.key);
    expect(new Set(keys)).toEqual(new Set(['tg-invite:AbCdEf123']));
    // invite codes are case-sensitive
    expect(canonicalLink('https://t.me/+abcdef123')?.key).not.toBe('tg-invite:AbCdEf123');
  });

  it('folds Telegram channel names and WhatsApp links', () => {
    expect(canonicalLink('https://t.me/s/QasrNews')?.key).toBe('tg:qasrnews');
    expect(canonicalLink('telegram.me/qasrnews')?.key).toBe('tg:qasrnews');
    expect(canonicalLink('https://chat.whatsapp.com/Kx9Q2')?.key).toBe('wa-group:Kx9Q2');
    expect(canonicalLink('https://wa.me/15551234567')?.key).toBe('wa-phone:15551234567');
    expect(canonicalLink('https://api.whatsapp.com/send?phone=15551234567&text=hi')?.key).toBe(
      'wa-phone:15551234567',
    );
  });

  it('drops tracking parameters, www. and trailing slashes from ordinary links, and keeps real queries', () => {
    expect(canonicalLink('https://www.example.org/news/?utm_source=x&fbclid=1&s=20')?.key).toBe(
      'url:example.org/news',
    );
    expect(canonicalLink('example.org/watch?v=abc&si=zz')?.key).toBe('url:example.org/watch?v=abc');
    expect(canonicalLink('javascript:alert(1)')).toBeUndefined();
    expect(canonicalLink('   ')).toBeUndefined();
  });
});

describe('linksSignal', () => {
  const fingerprint = (links: string[]) => {
    const value = linksSignal.fingerprint({ id: '1', handle: 'h', links });
    if (!value) throw new Error('no fingerprint');
    return value;
  };

  it('prefers a shared invite over a shared ordinary link, and agrees with its reference', () => {
    const a = fingerprint(['https://example.org/a', 'https://t.me/+Code1']);
    const b = fingerprint(['telegram.dog/joinchat/Code1', 'https://www.example.org/a/']);
    const c = fingerprint(['https://example.org/a']);
    const d = fingerprint(['https://other.org']);
    expect(linksSignal.compare(a, b)).toMatchObject({ level: 'invite', sharedKey: 'tg-invite:Code1' });
    expect(linksSignal.compare(a, c)).toMatchObject({ level: 'url', sharedKey: 'url:example.org/a' });
    expect(linksSignal.compare(a, d).level).toBe('none');
    for (const [x, y] of [
      [a, b],
      [a, c],
      [a, d],
      [c, d],
    ] as const) {
      expect(linksSignal.compare(x, y)).toEqual(linksSignal.referenceCompare(x, y));
    }
  });
});
