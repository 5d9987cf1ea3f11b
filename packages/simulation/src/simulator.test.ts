import { Event } from '@mirrorwatch/schemas';
import { describe, expect, it } from 'vitest';
import { parseScenarioJsonl, scenarioJsonl } from './format.js';
import { simulate } from './generate.js';

describe('simulate', () => {
  const scenario = simulate({ seed: 4242, accounts: 4000 });
  const labels = new Map(scenario.labels.map((label) => [label.account, label]));
  const eventsOf = (account: string) =>
    scenario.events.filter(({ platform, event }) => `${platform}:${event.account.id}` === account);

  it('is deterministic for a seed and different across seeds', () => {
    const again = [...scenarioJsonl(simulate({ seed: 4242, accounts: 4000 }))].join('\n');
    expect(again).toBe([...scenarioJsonl(scenario)].join('\n'));
    expect([...scenarioJsonl(simulate({ seed: 4243, accounts: 4000 }))].join('\n')).not.toBe(again);
  });

  it('emits only contract Events, in time order, with unique event ids', () => {
    for (const { event } of scenario.events) expect(Event.safeParse(event).success).toBe(true);
    const times = scenario.events.map(({ event }) => Date.parse(event.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(scenario.events.map(({ event }) => event.eventId)).size).toBe(scenario.events.length);
  });

  it('has the requested mix of banned, mirror and benign accounts', () => {
    const count = (kind: string) => scenario.labels.filter((label) => label.kind === kind).length;
    expect(scenario.labels).toHaveLength(4000);
    expect(count('banned')).toBe(320);
    expect(count('mirror')).toBe(800);
    const hard = scenario.labels.filter((label) => label.hardNegative).length;
    expect(hard / count('benign')).toBeGreaterThan(0.2);
    expect(hard / count('benign')).toBeLessThan(0.3);
  });

  it('gives every mirror a banned parent of its own entity, and timings that hold', () => {
    for (const label of scenario.labels.filter((item) => item.kind === 'mirror')) {
      const parent = labels.get(label.parent ?? '');
      expect(parent?.kind).toBe('banned');
      expect(parent?.entity).toBe(label.entity);
      expect(parent?.reinstated).toBeUndefined();
      const ban = eventsOf(parent?.account ?? '').find(({ event }) => event.type === 'account.banned');
      const banTime = Date.parse(ban?.event.occurredAt ?? '');
      const own = eventsOf(label.account);
      if (label.timing === 'backup-before-ban') {
        const created = Date.parse(own[0]?.event.occurredAt ?? '');
        expect(created).toBeLessThan(banTime);
        expect(banTime - created).toBeLessThanOrEqual(72 * 3_600_000);
      } else if (label.timing === 'renamed-later') {
        expect(own.map(({ event }) => event.type)).toEqual(['account.created', 'account.updated']);
        expect(Date.parse(own[1]?.event.occurredAt ?? '')).toBeGreaterThan(banTime);
      } else {
        expect(Date.parse(own[0]?.event.occurredAt ?? '')).toBeGreaterThan(banTime);
      }
    }
  });

  it('covers every evasion tactic, timing and kind of hard negative', () => {
    const tactics = new Set(
      scenario.labels.flatMap((label) => (label.kind === 'mirror' ? label.tactics : [])),
    );
    for (const tactic of [
      'digit-suffix',
      'separator',
      'affix',
      'homoglyph',
      'zero-width',
      'doubled-letter',
      'transposition',
      'word-reorder',
      'leet',
      'name-decoration',
      'bio-reorder',
      'bio-reword',
      'reencode',
      'resize',
      'light-edit',
      'same-invite',
      'new-invite',
      'contact-reuse',
      'device-reuse',
      'network-reuse',
      'follower-reuse',
      'cross-platform',
      'weak-signals-only',
    ]) {
      expect(tactics, tactic).toContain(tactic);
    }
    expect(new Set(scenario.labels.map((label) => label.timing).filter(Boolean))).toEqual(
      new Set(['after-ban', 'backup-before-ban', 'renamed-later']),
    );
    expect(new Set(scenario.labels.map((label) => label.hardNegative).filter(Boolean))).toEqual(
      new Set([
        'journalist',
        'researcher',
        'namesake',
        'fan',
        'shared-nat',
        'default-avatar',
        'popular-link',
      ]),
    );
  });

  it('writes homoglyph and zero-width handles with real non-ASCII and invisible code points', () => {
    const handleOf = (label: { account: string }) =>
      eventsOf(label.account).at(-1)?.event.account.handle ?? '';
    const mirrors = scenario.labels.filter((label) => label.kind === 'mirror');
    const homoglyphs = mirrors.filter((label) => label.tactics.includes('homoglyph')).map(handleOf);
    const zeroWidth = mirrors.filter((label) => label.tactics.includes('zero-width')).map(handleOf);
    expect(homoglyphs.length).toBeGreaterThan(0);
    const outsideAscii = (handle: string) => [...handle].some((char) => (char.codePointAt(0) ?? 0) > 0x7f);
    expect(homoglyphs.every(outsideAscii)).toBe(true);
    expect(zeroWidth.every((handle) => /[\u200b-\u200d\u2060]/.test(handle))).toBe(true);
  });

  it('shares one default avatar widely among benign accounts', () => {
    const avatars = new Map<string, number>();
    for (const { event } of scenario.events) {
      if (event.account.avatarPdq)
        avatars.set(event.account.avatarPdq, (avatars.get(event.account.avatarPdq) ?? 0) + 1);
    }
    expect(Math.max(...avatars.values())).toBeGreaterThan(300);
  });

  it('round-trips through JSONL', () => {
    const parsed = parseScenarioJsonl(scenarioJsonl(scenario));
    expect(parsed).toEqual(scenario);
    expect(() => parseScenarioJsonl(['{"record":"nonsense"}'])).toThrow(/line 1/);
  });
});
