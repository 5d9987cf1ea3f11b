import { describe, expect, it } from 'vitest';
import { networkPrefix, normalizeEmail, normalizePhone } from './normalize.js';
import { createPseudonymizer } from './pseudonymize.js';

describe('normalisation', () => {
  it('folds Gmail dots and +tags, and only Gmail dots', () => {
    expect(normalizeEmail(' J.Doe+backup@GMail.com ')).toBe('jdoe@gmail.com');
    expect(normalizeEmail('j.doe@googlemail.com')).toBe('jdoe@gmail.com');
    expect(normalizeEmail('j.doe+x@proton.me')).toBe('j.doe@proton.me');
    expect(normalizeEmail('not-an-email')).toBeUndefined();
  });

  it('writes phone numbers as E.164 using the default region for national numbers', () => {
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(normalizePhone('+44 20 7946 0958', 'US')).toBe('+442079460958');
    expect(normalizePhone('12', 'GB')).toBeUndefined();
  });

  it('reduces addresses to their /24 or /48 network', () => {
    expect(networkPrefix('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkPrefix('2001:db8:abcd:12::1')).toBe('2001:0db8:abcd::/48');
    expect(networkPrefix('2001:db8:abcd::')).toBe('2001:0db8:abcd::/48');
    expect(networkPrefix('nonsense')).toBeUndefined();
  });
});

describe('createPseudonymizer', () => {
  const pseudonymizer = createPseudonymizer({
    pepper: 'a-test-pepper-of-some-length',
    defaultPhoneRegion: 'GB',
  });

  it('hashes cosmetic variants of one identifier to the same value and never returns raw input', () => {
    const a = pseudonymizer.hash({ email: 'J.Doe+1@gmail.com', phone: '020 7946 0958', ip: '203.0.113.5' });
    const b = pseudonymizer.hash({ email: 'jdoe@gmail.com', phone: '+442079460958', ip: '203.0.113.200' });
    expect(a).toEqual(b);
    expect(a.emailHash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(a)).not.toMatch(/jdoe|7946|203\.0/);
  });

  it('depends on the pepper and separates identifier kinds', () => {
    const other = createPseudonymizer({ pepper: 'another-pepper-of-some-length' });
    expect(other.hash({ deviceId: 'abc' }).deviceHash).not.toBe(
      pseudonymizer.hash({ deviceId: 'abc' }).deviceHash,
    );
    const asDevice = pseudonymizer.hash({ deviceId: 'x@y.com' }).deviceHash;
    const asEmail = pseudonymizer.hash({ email: 'x@y.com' }).emailHash;
    expect(asDevice).not.toBe(asEmail);
  });

  it('drops values it cannot normalise instead of hashing them', () => {
    expect(pseudonymizer.hash({ email: 'nope', phone: 'abc', ip: '999.1.1.1' })).toEqual({});
  });
});
