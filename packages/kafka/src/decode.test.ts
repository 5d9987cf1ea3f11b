import { describe, expect, it } from 'vitest';
import { decodeMessage } from './decode.js';

const valid = {
  schemaVersion: 1,
  eventId: 'e1',
  platform: 'telegram',
  type: 'account.created',
  occurredAt: '2026-11-01T10:00:00Z',
  receivedAt: '2026-11-01T10:00:01Z',
  account: { id: 'a1', handle: 'alfurqan' },
};

describe('decodeMessage', () => {
  it('accepts a message that follows its topic schema', () => {
    const decoded = decodeMessage('accountEvents', Buffer.from(JSON.stringify(valid)));
    expect(decoded.ok && decoded.value.account.handle).toBe('alfurqan');
  });

  it('says why a message is rejected', () => {
    expect(decodeMessage('accountEvents', null)).toMatchObject({ ok: false, code: 'empty_value' });
    expect(decodeMessage('accountEvents', Buffer.from('{nope'))).toMatchObject({
      ok: false,
      code: 'invalid_json',
    });
    const wrong = decodeMessage(
      'accountEvents',
      Buffer.from(JSON.stringify({ ...valid, platform: 'myspace' })),
    );
    expect(wrong).toMatchObject({ ok: false, code: 'schema_mismatch' });
    expect(!wrong.ok && wrong.reason).toContain('platform');
  });

  it('rejects raw identifiers that ingest should have hashed', () => {
    const leaked = { ...valid, account: { ...valid.account, emailHash: 'someone@example.com' } };
    const decoded = decodeMessage('accountEvents', Buffer.from(JSON.stringify(leaked)));
    expect(!decoded.ok && decoded.reason).toContain('account.emailHash');
  });
});
