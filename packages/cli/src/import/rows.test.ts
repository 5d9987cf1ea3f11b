import { describe, expect, it } from 'vitest';
import { checkRow, importId } from './rows.js';

const row = {
  platform: 'telegram',
  id: '1001',
  handle: 'front_media',
  displayName: 'Front Media',
  links: 'https://t.me/+abc | https://example.org/x',
  followees: '11|12||13',
  email: 'someone@example.com',
  ip: '203.0.113.9',
  bannedAt: '2026-11-01T10:00:00Z',
  entity: 'Example Front',
  reason: 'terrorist content',
  policy: 'dangerous-orgs',
};

describe('import rows', () => {
  it('turns a row into an account.banned contract Event with a deterministic id and `|`-separated lists', () => {
    const checked = checkRow(row, {}, { as: 'ban' });
    expect(checked).toMatchObject({ ok: true, platform: 'telegram', kind: 'event' });
    if (!checked.ok) return;
    expect(checked.item).toMatchObject({
      type: 'account.banned',
      occurredAt: row.bannedAt,
      ban: { entity: 'Example Front', reason: 'terrorist content', policy: 'dangerous-orgs' },
      account: {
        id: '1001',
        links: ['https://t.me/+abc', 'https://example.org/x'],
        followees: ['11', '12', '13'],
      },
    });
    expect(checked.kind === 'event' && checked.item.eventId).toMatch(/^import:[0-9a-f]{32}$/);
    const again = checkRow({ ...row }, {}, { as: 'ban' });
    expect(again.ok && again.kind === 'event' && again.item.eventId).toBe(
      checked.kind === 'event' && checked.item.eventId,
    );
  });

  it('derives the id from platform, id, entity and the ban instant, and from the source for reports', () => {
    const ban = { as: 'ban' } as const;
    const base = importId(ban, 'x', '1', 'E', '2026-11-01T10:00:00Z');
    expect(importId(ban, 'x', '1', 'E', '2026-11-01T10:00:00.000Z')).toBe(base);
    expect(importId(ban, 'x', '1', 'E', '2026-11-01T12:00:00+02:00')).toBe(base);
    expect(importId(ban, 'x', '2', 'E', '2026-11-01T10:00:00Z')).not.toBe(base);
    expect(importId(ban, 'telegram', '1', 'E', '2026-11-01T10:00:00Z')).not.toBe(base);
    expect(importId(ban, 'x', '1', 'F', '2026-11-01T10:00:00Z')).not.toBe(base);
    expect(importId({ as: 'report', source: 'a' }, 'x', '1', 'E', '2026-11-01T10:00:00Z')).not.toBe(
      importId({ as: 'report', source: 'b' }, 'x', '1', 'E', '2026-11-01T10:00:00Z'),
    );
  });

  it('fills platform, entity and reason from the defaults only where the row leaves them empty', () => {
    const { platform: _p, entity: _e, reason: _r, ...bare } = row;
    const checked = checkRow(
      bare,
      { platform: 'x', entity: 'Default Entity', reason: 'imported' },
      { as: 'ban' },
    );
    expect(checked).toMatchObject({ ok: true, platform: 'x', item: { ban: { entity: 'Default Entity' } } });
    const own = checkRow(row, { platform: 'x', entity: 'Default Entity' }, { as: 'ban' });
    expect(own).toMatchObject({ ok: true, platform: 'telegram', item: { ban: { entity: 'Example Front' } } });
  });

  it('turns a row into a Report from the source (a lead for review, no ban)', () => {
    const checked = checkRow(row, {}, { as: 'report', source: 'trusted-flagger' });
    expect(checked).toMatchObject({
      ok: true,
      kind: 'report',
      item: { source: 'trusted-flagger', entity: 'Example Front', reason: 'terrorist content' },
    });
    expect(checked.ok && 'ban' in checked.item).toBe(false);
  });

  it('names each bad field in the row’s own terms, never repeating the value', () => {
    const checked = checkRow(
      {
        platform: 'myspace',
        id: '',
        bannedAt: 'last tuesday',
        ip: '999.1.1.1',
        email: 'x',
        avatarPdq: 'zz',
        nickname: 'n',
      },
      {},
      { as: 'ban' },
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    const fields = Object.fromEntries(checked.errors.map((error) => [error.field, error.message]));
    expect(Object.keys(fields).sort()).toEqual(
      [
        'avatarPdq',
        'bannedAt',
        'email',
        'entity',
        'handle',
        'id',
        'ip',
        'nickname',
        'platform',
        'reason',
      ].sort(),
    );
    expect(fields.handle).toBe('is required');
    expect(fields.entity).toBe('is required (or pass --entity)');
    expect(fields.platform).toMatch(/must be one of x, facebook/);
    expect(fields.nickname).toBe('is not a known field');
    expect(JSON.stringify(checked.errors)).not.toMatch(/999\.1|last tuesday|myspace/);
  });

  it('rejects JSONL values of the wrong type and accepts lists as arrays', () => {
    const typed = checkRow({ ...row, id: 42, links: ['https://t.me/+abc'] }, {}, { as: 'ban' });
    expect(typed).toMatchObject({ ok: false, errors: [{ field: 'id' }] });
    const lists = checkRow(
      { ...row, links: ['https://t.me/+abc'], followees: ['1', '2'] },
      {},
      { as: 'ban' },
    );
    expect(lists).toMatchObject({ ok: true, item: { account: { followees: ['1', '2'] } } });
  });
});
