import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './signature.js';

const secret = 'platform-secret';
const rawBody = Buffer.from('{"eventId":"e1"}');
const now = 1_800_000_000;

function verify(overrides: Partial<Parameters<typeof verifyWebhook>[0]>) {
  return verifyWebhook({
    secret,
    rawBody,
    timestamp: String(now),
    signature: signWebhook(secret, now, rawBody),
    nowSeconds: now,
    toleranceSeconds: 300,
    ...overrides,
  });
}

describe('verifyWebhook', () => {
  it('accepts the signature of the exact bytes within the window', () => {
    expect(verify({})).toBe('valid');
    expect(verify({ nowSeconds: now + 300 })).toBe('valid');
    expect(verify({ nowSeconds: now - 300 })).toBe('valid');
  });

  it('rejects a signature made with another secret, over other bytes, or malformed', () => {
    expect(verify({ signature: signWebhook('other', now, rawBody) })).toBe('bad_signature');
    expect(verify({ rawBody: Buffer.from('{"eventId":"e2"}') })).toBe('bad_signature');
    expect(verify({ signature: 'sha256=zz' })).toBe('bad_signature');
    expect(verify({ signature: undefined })).toBe('bad_signature');
    expect(verify({ timestamp: 'soon' })).toBe('bad_signature');
  });

  it('rejects a correctly signed request replayed outside the window', () => {
    expect(verify({ nowSeconds: now + 301 })).toBe('stale_timestamp');
    expect(verify({ nowSeconds: now - 301 })).toBe('stale_timestamp');
  });

  it('binds the timestamp into the signature', () => {
    const signature = signWebhook(secret, now, rawBody);
    expect(verify({ signature, timestamp: String(now + 1), nowSeconds: now + 1 })).toBe('bad_signature');
  });
});
