import { describe, expect, it } from 'vitest';
import { keptApart } from './apart.js';
import { simulate } from './generate.js';
import type { Scenario } from './model.js';

const accountsOf = (scenario: Scenario) => scenario.events.map(({ event }) => event.account);

/** Every value of each kind the matcher can match on, across a scenario's events. */
function valuesOf(scenario: Scenario): Record<string, Set<string>> {
  const kinds: Record<string, Set<string>> = {};
  const add = (kind: string, value: string | undefined) => {
    if (value === undefined) return;
    const values = kinds[kind] ?? new Set<string>();
    values.add(value);
    kinds[kind] = values;
  };
  for (const { platform, event } of scenario.events) {
    const { account } = event;
    add('account', `${platform}:${account.id}`);
    add('entity', event.ban?.entity);
    add('handle', account.handle);
    add('displayName', account.displayName);
    add('bio', account.bio);
    for (const link of account.links ?? []) add('link', link);
    add('avatar', account.avatarPdq);
    add('email', account.email);
    add('phone', account.phone);
    add('device', account.deviceId);
    add('network', account.ip?.split('.').slice(0, 3).join('.'));
    for (const followee of account.followees ?? []) add('followee', followee);
  }
  return kinds;
}

/** Accounts (by position) grouped by phone number, reading one without a country code as American (ingest's default). */
function byNumber(phones: ReadonlyArray<string | undefined>): string[] {
  const groups = new Map<string, number[]>();
  phones.forEach((phone, n) => {
    if (phone === undefined) return;
    const number = (phone.startsWith('+') ? '' : '1') + phone.replace(/\D/g, '');
    groups.set(number, [...(groups.get(number) ?? []), n]);
  });
  return [...groups.values()].map((group) => group.join(',')).sort();
}

const hamming = (a: string, b: string) =>
  Array.from(a).reduce((sum, digit, n) => {
    let bits = Number.parseInt(digit, 16) ^ Number.parseInt(b[n] ?? '0', 16);
    let count = 0;
    for (; bits; bits &= bits - 1) count += 1;
    return sum + count;
  }, 0);

describe('keptApart', () => {
  const measured = simulate({ seed: 4242, accounts: 1500 });
  const original = simulate({ seed: 4243, accounts: 600 });
  const copy = keptApart(original, 'warmup-');

  it('shares no value of any kind with another generated scenario', () => {
    const theirs = valuesOf(measured);
    const ours = valuesOf(copy);
    const unapart = valuesOf(original);
    for (const [kind, values] of Object.entries(ours)) {
      const shared = [...values].filter((value) => theirs[kind]?.has(value));
      expect(shared, kind).toEqual([]);
    }
    // The check can fail: the uncopied scenario shares followees (popular accounts) and
    // CGNAT networks with the measured one.
    expect([...(unapart.followee ?? [])].some((value) => theirs.followee?.has(value))).toBe(true);
    expect([...(unapart.network ?? [])].some((value) => theirs.network?.has(value))).toBe(true);
  });

  it('keeps what relates its accounts to each other', () => {
    const before = accountsOf(original);
    const after = accountsOf(copy);
    expect(after).toHaveLength(before.length);
    for (let n = 1; n < before.length; n += 7) {
      const [a, b, c, d] = [before[n - 1], before[n], after[n - 1], after[n]];
      if (a?.avatarPdq && b?.avatarPdq)
        expect(hamming(c?.avatarPdq ?? '', d?.avatarPdq ?? '')).toBe(hamming(a.avatarPdq, b.avatarPdq));
      expect(c?.handle.length).toBe(a?.handle.length);
    }
    // Accounts that share a number (respelt or not) still do, and no others.
    expect(byNumber(after.map((account) => account.phone))).toEqual(
      byNumber(before.map((account) => account.phone)),
    );
    // As many distinct contacts and networks as before: nothing merged, nothing split.
    for (const kind of ['email', 'phone', 'device', 'network', 'avatar', 'followee'])
      expect(valuesOf(copy)[kind]?.size, kind).toBe(valuesOf(original)[kind]?.size);
  });

  it('renames the labels with the accounts, entities and parents', () => {
    const accounts = valuesOf(copy).account ?? new Set();
    expect(copy.labels.every((label) => accounts.has(label.account))).toBe(true);
    const banned = new Set(
      copy.labels.filter((label) => label.kind === 'banned').map((label) => label.account),
    );
    const mirrors = copy.labels.filter((label) => label.kind === 'mirror');
    expect(mirrors.length).toBeGreaterThan(0);
    expect(mirrors.every((label) => label.parent !== undefined && banned.has(label.parent))).toBe(true);
    expect(mirrors.every((label) => label.entity?.startsWith('warmup-'))).toBe(true);
  });
});
