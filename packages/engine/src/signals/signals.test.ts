import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './default-registry.js';
import type { AccountInput } from './signal.js';

const logo = '0f'.repeat(32);
const accounts: AccountInput[] = [
  {
    id: '1',
    handle: 'sawt_alnasr',
    displayName: 'Sawt al-Nasr Media',
    bio: 'voice of the vanguard. steadfast until victory',
    avatarPdq: logo,
    links: ['https://t.me/+Abc123'],
    followees: ['a', 'b', 'c', 'd', 'e'],
    emailHash: 'a'.repeat(32),
    deviceHash: 'b'.repeat(32),
  },
  {
    id: '2',
    handle: 'ѕаwt_аlnаsr_backup',
    displayName: 'Sawt al-Nasr Media (backup) 🔥',
    bio: 'steadfast until victory. voice of the vanguard',
    avatarPdq: `1f${'0f'.repeat(31)}`,
    links: ['telegram.me/joinchat/Abc123'],
    followees: ['a', 'b', 'c', 'x'],
    emailHash: 'a'.repeat(32),
    deviceHash: 'c'.repeat(32),
  },
  {
    id: '3',
    handle: 'gardening_tips',
    displayName: 'Garden Tips',
    bio: 'roses and tomatoes',
    avatarPdq: 'f0'.repeat(32),
    links: ['https://example.org'],
    followees: ['p1', 'p2'],
    emailHash: 'd'.repeat(32),
  },
  { id: '4', handle: 'sawt_alnasir', bio: 'voice of the people', followees: ['a', 'q'] },
];

describe('default signals', () => {
  const registry = createDefaultRegistry();
  const fingerprints = accounts.map((account) => registry.fingerprint(account));

  it('agree with their reference comparisons on every pair', () => {
    for (const signal of registry.signals) {
      for (const a of fingerprints) {
        for (const b of fingerprints) {
          const x = a[signal.name];
          const y = b[signal.name];
          if (x === undefined || y === undefined) continue;
          const fast = signal.compare(x, y);
          expect(signal.levels).toContain(fast.level);
          expect(fast, signal.name).toEqual(signal.referenceCompare(x, y));
        }
      }
    }
  });

  it('name as sharedKey only the keys they declare as shared, all of them blocking keys', () => {
    let named = 0;
    for (const signal of registry.signals) {
      for (const a of fingerprints) {
        const x = a[signal.name];
        if (x === undefined) continue;
        const blocking = signal.blockingKeys(x);
        const shared = signal.sharedKeys?.(x) ?? [];
        for (const key of shared) expect(blocking, signal.name).toContain(key);
        for (const b of fingerprints) {
          const y = b[signal.name];
          if (y === undefined) continue;
          const { sharedKey } = signal.compare(x, y);
          if (sharedKey === undefined) continue;
          named += 1;
          // Scoring looks up the share of the banned side's (second argument's) key.
          expect(signal.sharedKeys?.(y) ?? [], `${signal.name}: ${sharedKey}`).toContain(sharedKey);
        }
      }
    }
    expect(named).toBeGreaterThan(10);
  });

  it('see a mirror in the mutated copy and nothing in an unrelated account', () => {
    const [original, mirror, unrelated] = fingerprints;
    const level = (name: string, a: typeof original, b: typeof original) => {
      const signal = registry.signals.find((item) => item.name === name);
      return signal && a?.[signal.name] !== undefined && b?.[signal.name] !== undefined
        ? signal.compare(a[signal.name], b[signal.name]).level
        : undefined;
    };
    expect(level('handle', mirror, original)).toBe('core');
    expect(level('displayName', mirror, original)).toBe('core');
    expect(level('links', mirror, original)).toBe('invite');
    expect(level('avatar', mirror, original)).toBe('near-identical');
    expect(level('email', mirror, original)).toBe('same');
    expect(level('device', mirror, original)).toBe('different');
    expect(['high', 'medium']).toContain(level('bio', mirror, original));
    for (const name of ['handle', 'links', 'avatar', 'email']) {
      expect(['none', 'different']).toContain(level(name, unrelated, original));
    }
  });

  it('share blocking keys between a mirror and its original, namespaced by signal', () => {
    const keys = fingerprints.map((fingerprint) => new Set(registry.blockingKeys(fingerprint)));
    const shared = [...(keys[1] ?? [])].filter((key) => keys[0]?.has(key));
    expect(shared).toEqual(
      expect.arrayContaining(['handle:c:sawtalnasr', 'links:tg-invite:Abc123', 'email:' + 'a'.repeat(32)]),
    );
    expect([...(keys[2] ?? [])].filter((key) => keys[0]?.has(key))).toEqual([]);
  });
});
