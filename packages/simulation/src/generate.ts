import type { Event, Platform } from '@mirrorwatch/schemas';
import type { AccountLabel, Scenario, SimulatedEvent, SimulationOptions, Timing } from './model.js';
import { Random } from './random.js';
import {
  decorateName,
  flipBits,
  HANDLE_TACTICS,
  type HandleTactic,
  respellEmail,
  respellLink,
  respellPhone,
  rewordBio,
} from './tactics.js';
import {
  BENIGN_BIO_TEMPLATES,
  FIRST_NAMES,
  GROUP_BIO_TEMPLATES,
  GROUP_HEADS,
  GROUP_MIDDLES,
  GROUP_TAILS,
  HOBBY_WORDS,
  LAST_NAMES,
  ORDINARY_DOMAINS,
  ORDINARY_SITES,
  POPULAR_LINKS,
  RESEARCH_BIO_TEMPLATES,
  SLOGAN_WORDS,
} from './vocabulary.js';

const PLATFORMS: Platform[] = ['x', 'facebook', 'instagram', 'whatsapp', 'telegram'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const POPULAR_ACCOUNTS = 300;
const CGNAT_NETS = ['100.64.12', '100.64.77', '100.71.3', '100.88.140', '100.99.1'];

type Profile = Event['account'];

interface Entity {
  index: number;
  name: string;
  handleBase: string;
  displayName: string;
  bio: string;
  slogans: string[];
  logo: string;
  invites: string[];
  popularLink?: string;
  emails: string[];
  phones: string[];
  devices: string[];
  nets: string[];
  circle: string[];
}

interface PlannedAccount {
  platform: Platform;
  id: string;
  label: AccountLabel;
  events: Array<{ at: number; type: Event['type']; profile: Profile; ban?: Event['ban'] }>;
}

/** A whole scenario from its seed: same options, same bytes. */
export function simulate(input: SimulationOptions): Scenario {
  const options = {
    seed: input.seed,
    accounts: input.accounts,
    start: (input.start ?? new Date('2026-11-01T00:00:00Z')).toISOString(),
    mirrorShare: input.mirrorShare ?? 0.2,
    bannedShare: input.bannedShare ?? 0.08,
    hardNegativeShare: input.hardNegativeShare ?? 0.25,
  };
  const start = Date.parse(options.start);
  const root = new Random(options.seed);
  const world = createWorld(root.fork(0));
  const nextId = idCounter(root.fork(1));

  const bannedCount = Math.max(1, Math.round(options.accounts * options.bannedShare));
  const mirrorCount = Math.round(options.accounts * options.mirrorShare);
  const benignCount = Math.max(0, options.accounts - bannedCount - mirrorCount);

  const entities: Entity[] = [];
  const banned: Array<PlannedAccount & { entity: Entity; bannedAt: number }> = [];
  const planned: PlannedAccount[] = [];

  // Banned accounts, grouped by entity (1–6 each, across platforms).
  for (let e = 0; banned.length < bannedCount; e += 1) {
    const random = root.fork(1000 + e);
    const entity = createEntity(e, random, world);
    entities.push(entity);
    const size = Math.min(random.int(1, 6), bannedCount - banned.length);
    for (const platform of random.sample(PLATFORMS, size)) {
      const id = nextId(platform);
      const createdAt = start - random.int(30, 300) * DAY;
      const bannedAt = start + random.int(1 * 24, 25 * 24) * HOUR + random.int(0, 59) * MINUTE;
      const profile = entityProfile(entity, platform, random, world);
      const reinstated = random.chance(0.05);
      const account: PlannedAccount & { entity: Entity; bannedAt: number } = {
        platform,
        id,
        entity,
        bannedAt,
        label: {
          account: `${platform}:${id}`,
          kind: 'banned',
          entity: entity.name,
          tactics: [],
          ...(reinstated && { reinstated }),
        },
        events: [
          { at: createdAt, type: 'account.created', profile },
          {
            at: bannedAt,
            type: 'account.banned',
            profile,
            ban: { reason: 'proscribed organisation', entity: entity.name, policy: 'violent-extremism' },
          },
        ],
      };
      if (reinstated)
        account.events.push({ at: bannedAt + random.int(1, 5) * DAY, type: 'account.reinstated', profile });
      banned.push(account);
      planned.push(account);
    }
  }

  // Mirrors of the banned accounts whose ban stands.
  const parents = banned.filter((account) => !account.label.reinstated);
  for (let m = 0; m < mirrorCount && parents.length > 0; m += 1) {
    const random = root.fork(200_000 + m);
    const parent = random.pick(parents);
    planned.push(createMirror(parent, random, world, nextId, start));
  }

  // Benign accounts, a share of them hard negatives.
  for (let b = 0; b < benignCount; b += 1) {
    const random = root.fork(500_000 + b);
    planned.push(createBenign(random, world, entities, nextId, start, options.hardNegativeShare));
  }

  const events: Array<SimulatedEvent & { at: number; order: number }> = [];
  let order = 0;
  for (const account of planned) {
    const createdAt = account.events[0]?.at ?? start;
    for (const planned of account.events) {
      order += 1;
      events.push({
        at: planned.at,
        order,
        platform: account.platform,
        event: {
          eventId: '',
          type: planned.type,
          occurredAt: new Date(planned.at).toISOString(),
          account: { ...planned.profile, id: account.id, createdAt: new Date(createdAt).toISOString() },
          ...(planned.ban && { ban: planned.ban }),
        } as Event,
      });
    }
  }
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  events.forEach((item, index) => {
    item.event.eventId = `sim-${options.seed}-${index}`;
  });
  return {
    events: events.map(({ platform, event }) => ({ platform, event })),
    labels: planned.map((account) => account.label),
    options,
  };
}

interface World {
  defaultAvatar: string;
  popular: string[];
  nets: string[];
}

function createWorld(random: Random): World {
  return {
    defaultAvatar: random.hex(64),
    popular: Array.from({ length: POPULAR_ACCOUNTS }, (_, i) => `p${i}`),
    nets: Array.from(
      { length: 4000 },
      () => `${random.int(11, 223)}.${random.int(0, 255)}.${random.int(0, 255)}`,
    ),
  };
}

function idCounter(random: Random): (platform: Platform) => string {
  const next = new Map<Platform, number>(
    PLATFORMS.map((platform) => [platform, random.int(10_000, 99_999) * 1000]),
  );
  return (platform) => {
    const value = (next.get(platform) ?? 0) + random.int(1, 97);
    next.set(platform, value);
    return String(value);
  };
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

function phone(random: Random): string {
  const region = random.next();
  if (region < 0.5)
    return `+1${random.pick(['201', '212', '305', '312', '415', '617', '646', '702', '818'])}${random.int(200, 999)}${random.int(1000, 9999)}`;
  if (region < 0.75) return `+447${random.int(400, 999)}${random.int(100_000, 999_999)}`;
  return `+905${random.int(30, 59)}${random.int(1_000_000, 9_999_999)}`;
}

function email(name: string, random: Random): string {
  return `${slug(name).replaceAll('_', random.pick(['.', '', '_']))}${random.int(1, 999)}@${random.pick(ORDINARY_DOMAINS)}`;
}

function device(random: Random): string {
  return `${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`;
}

function popularFollows(random: Random, world: World, count: number): string[] {
  // Zipf-like: the most popular accounts are followed by almost everyone.
  const out = new Set<string>();
  for (let i = 0; i < count; i += 1)
    out.add(world.popular[Math.floor(world.popular.length * random.next() ** 2.5)] ?? 'p0');
  return [...out];
}

function createEntity(index: number, random: Random, world: World): Entity {
  const name = `${random.pick(GROUP_HEADS)} ${random.pick(GROUP_MIDDLES)} ${random.pick(GROUP_TAILS)}`;
  const slogans = random.sample(SLOGAN_WORDS, 4);
  const parts = name.split(' ');
  const handleBase = random.pick([slug(name), slug(parts.slice(0, 2).join(' ')), slug(parts.join(''))]);
  const bio = random
    .pick(GROUP_BIO_TEMPLATES)
    .replace('{group}', name)
    .replace('{s1}', slogans[0] ?? '')
    .replace('{s2}', slogans[1] ?? '')
    .replace('{s3}', slogans[2] ?? '');
  const invites = [
    `https://t.me/+${random.base62(16)}`,
    ...(random.chance(0.6) ? [`https://chat.whatsapp.com/${random.base62(22)}`] : []),
    ...(random.chance(0.3) ? [`https://wa.me/${phone(random).slice(1)}`] : []),
  ];
  const circleSize = random.int(100, 1500);
  return {
    index,
    name,
    handleBase,
    displayName: name.replace(/\b\w/g, (c) => c.toUpperCase()),
    bio,
    slogans,
    logo: random.hex(64),
    invites,
    ...(random.chance(0.3) && { popularLink: random.pick(POPULAR_LINKS) }),
    emails: [email(handleBase, random), email(`${parts[0]} ${random.int(1, 99)}`, random)],
    phones: [phone(random), phone(random)],
    devices: [device(random), device(random)],
    nets: random.chance(0.8) ? [random.pick(world.nets)] : [random.pick(world.nets), random.pick(world.nets)],
    circle: Array.from({ length: circleSize }, (_, i) => `c${index}-${i}`),
  };
}

function entityProfile(entity: Entity, platform: Platform, random: Random, world: World): Profile {
  const handle =
    platform === 'telegram' || random.chance(0.6) ? entity.handleBase : `${entity.handleBase}_${platform}`;
  return {
    id: '',
    handle,
    displayName: entity.displayName,
    bio: entity.bio,
    links: random
      .sample(entity.invites, random.int(1, entity.invites.length))
      .concat(entity.popularLink ? [entity.popularLink] : []),
    avatarPdq: entity.logo,
    ...(random.chance(0.7) && { email: random.pick(entity.emails) }),
    ...(random.chance(0.6) && { phone: random.pick(entity.phones) }),
    ...(random.chance(0.7) && { deviceId: random.pick(entity.devices) }),
    ...(random.chance(0.8) && { ip: `${random.pick(entity.nets)}.${random.int(1, 254)}` }),
    followees: [
      ...random.sample(entity.circle, Math.round(entity.circle.length * (0.5 + 0.4 * random.next()))),
      ...popularFollows(random, world, 20),
    ],
  };
}

function ordinaryProfile(random: Random, world: World): Profile {
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const style = random.next();
  const handle =
    style < 0.4
      ? `${first}_${last}`
      : style < 0.7
        ? `${first}${random.int(1, 9999)}`
        : `${random.pick(HOBBY_WORDS)}_${first}`;
  const hobbies = random.sample(HOBBY_WORDS, 3);
  const bio = random
    .pick(BENIGN_BIO_TEMPLATES)
    .replace('{a}', hobbies[0] ?? '')
    .replace('{b}', hobbies[1] ?? '')
    .replace('{c}', hobbies[2] ?? '');
  const net = random.chance(0.2) ? random.pick(CGNAT_NETS) : random.pick(world.nets);
  return {
    id: '',
    handle,
    ...(random.chance(0.8) && { displayName: `${first} ${last}`.replace(/\b\w/g, (c) => c.toUpperCase()) }),
    ...(random.chance(0.7) && { bio }),
    ...(random.chance(0.3) && { links: [`https://${random.pick(ORDINARY_SITES)}${handle}`] }),
    ...(random.chance(0.85) && { avatarPdq: random.chance(0.18) ? world.defaultAvatar : random.hex(64) }),
    ...(random.chance(0.6) && { email: email(`${first} ${last}`, random) }),
    ...(random.chance(0.4) && { phone: phone(random) }),
    ...(random.chance(0.6) && { deviceId: device(random) }),
    ...(random.chance(0.7) && { ip: `${net}.${random.int(1, 254)}` }),
    ...(random.chance(0.8) && {
      followees: [
        ...popularFollows(random, world, random.int(5, 60)),
        ...Array.from({ length: random.int(0, 80) }, () => `r${random.int(0, 5_000_000)}`),
      ],
    }),
  };
}

function createMirror(
  parent: PlannedAccount & { entity: Entity; bannedAt: number },
  random: Random,
  world: World,
  nextId: (platform: Platform) => string,
  start: number,
): PlannedAccount {
  const { entity } = parent;
  const source = parent.events[0]?.profile ?? entityProfile(entity, parent.platform, random, world);
  const tactics: string[] = [];
  const crossPlatform = random.chance(0.3);
  const platform = crossPlatform
    ? random.pick(PLATFORMS.filter((p) => p !== parent.platform))
    : parent.platform;
  if (crossPlatform) tactics.push('cross-platform');
  const profile: Profile = { id: '', handle: '' };

  // Some mirrors keep only two weak signals: no name, no look, just infrastructure or audience.
  const weak = random.chance(0.1);
  const keep = weak
    ? new Set(
        random.pick([
          ['followers', 'network'],
          ['followers', 'device'],
          ['invite', 'network'],
          ['contact', 'device'],
          ['avatar', 'followers'],
        ]),
      )
    : new Set(
        [
          ['handle', 0.88],
          ['name', 0.7],
          ['bio', 0.6],
          ['avatar', 0.7],
          ['invite', 0.5],
          ['contact', 0.35],
          ['device', 0.3],
          ['network', 0.35],
          ['followers', 0.6],
        ]
          .filter(([, p]) => random.chance(p as number))
          .map(([signal]) => signal as string),
      );
  // A mirror reuses what its parent had: nothing to reuse, nothing kept.
  if (!source.links?.some((link) => entity.invites.includes(link))) keep.delete('invite');
  if (!source.email && !source.phone) keep.delete('contact');
  if (!source.deviceId) keep.delete('device');
  if (!source.ip) keep.delete('network');
  if (keep.size < 2) keep.add('followers').add('handle');

  if (keep.has('handle')) {
    let handle = source.handle;
    const chosen = random.sample(Object.keys(HANDLE_TACTICS) as HandleTactic[], random.int(1, 2));
    for (const tactic of chosen) handle = HANDLE_TACTICS[tactic](handle, random);
    profile.handle = handle;
    tactics.push(...chosen);
  } else {
    profile.handle = ordinaryProfile(random, world).handle;
  }
  if (keep.has('name') && source.displayName) {
    profile.displayName = random.chance(0.5) ? decorateName(source.displayName, random) : source.displayName;
    if (profile.displayName !== source.displayName) tactics.push('name-decoration');
  }
  if (keep.has('bio') && source.bio) {
    const reorder = random.chance(0.5);
    const reword = random.chance(0.5);
    profile.bio = rewordBio(source.bio, random, { reorder, reword });
    if (reorder) tactics.push('bio-reorder');
    if (reword) tactics.push('bio-reword');
  }
  if (keep.has('avatar')) {
    const edit = random.pick(['reencode', 'resize', 'light-edit'] as const);
    const flips = { reencode: random.int(0, 6), resize: random.int(4, 14), 'light-edit': random.int(12, 30) }[
      edit
    ];
    profile.avatarPdq = flipBits(entity.logo, flips, random);
    tactics.push(edit);
  } else if (random.chance(0.4)) {
    profile.avatarPdq = random.chance(0.5) ? world.defaultAvatar : random.hex(64);
  }
  if (keep.has('invite')) {
    const invites = source.links?.filter((link) => entity.invites.includes(link)) ?? [];
    profile.links = random
      .sample(invites, random.int(1, invites.length))
      .map((link) => respellLink(link, random));
    tactics.push('same-invite');
  } else if (random.chance(0.5)) {
    profile.links = [`https://t.me/+${random.base62(16)}`];
    tactics.push('new-invite');
  }
  if (keep.has('contact')) {
    if (source.email && (random.chance(0.6) || !source.phone))
      profile.email = respellEmail(source.email, random);
    else profile.phone = respellPhone(source.phone ?? random.pick(entity.phones), random);
    tactics.push('contact-reuse');
  }
  if (keep.has('device')) {
    profile.deviceId = source.deviceId;
    tactics.push('device-reuse');
  }
  if (keep.has('network')) {
    profile.ip = `${source.ip?.split('.').slice(0, 3).join('.')}.${random.int(1, 254)}`;
    tactics.push('network-reuse');
  }
  if (keep.has('followers')) {
    const followed = source.followees ?? entity.circle;
    profile.followees = [
      ...random.sample(followed, Math.round(followed.length * (0.3 + 0.6 * random.next()))),
      ...popularFollows(random, world, 10),
    ];
    tactics.push('follower-reuse');
  }
  if (weak) tactics.push('weak-signals-only');

  const timingDraw = random.next();
  const timing: Timing =
    timingDraw < 0.7 ? 'after-ban' : timingDraw < 0.88 ? 'backup-before-ban' : 'renamed-later';
  const id = nextId(platform);
  const events: PlannedAccount['events'] = [];
  if (timing === 'after-ban') {
    events.push({
      at: parent.bannedAt + Math.round(random.logUniform(1, 3 * 24 * 60)) * MINUTE,
      type: 'account.created',
      profile,
    });
  } else if (timing === 'backup-before-ban') {
    events.push({
      at: parent.bannedAt - Math.round(random.logUniform(10, 72 * 60 - 1)) * MINUTE,
      type: 'account.created',
      profile,
    });
  } else {
    events.push({
      at: start - random.int(10, 200) * DAY,
      type: 'account.created',
      profile: ordinaryProfile(random, world),
    });
    events.push({
      at: parent.bannedAt + Math.round(random.logUniform(10, 2 * 24 * 60)) * MINUTE,
      type: 'account.updated',
      profile,
    });
  }
  return {
    platform,
    id,
    label: {
      account: `${platform}:${id}`,
      kind: 'mirror',
      entity: entity.name,
      parent: parent.label.account,
      tactics,
      timing,
    },
    events,
  };
}

const HARD_NEGATIVES = [
  'journalist',
  'researcher',
  'namesake',
  'fan',
  'shared-nat',
  'default-avatar',
  'popular-link',
] as const;

function createBenign(
  random: Random,
  world: World,
  entities: Entity[],
  nextId: (platform: Platform) => string,
  start: number,
  hardNegativeShare: number,
): PlannedAccount {
  const platform = random.pick(PLATFORMS);
  const profile = ordinaryProfile(random, world);
  const kind =
    entities.length > 0 && random.chance(hardNegativeShare) ? random.pick(HARD_NEGATIVES) : undefined;
  const entity = entities.length > 0 ? random.pick(entities) : undefined;
  if (kind && entity) {
    switch (kind) {
      case 'journalist':
      case 'researcher': {
        profile.bio = random
          .pick(RESEARCH_BIO_TEMPLATES)
          .replace('{group}', entity.name)
          .replace('{slogan}', entity.slogans[0] ?? '');
        const watched = [entity, ...random.sample(entities, random.int(1, 3))];
        profile.followees = [
          ...(profile.followees ?? []),
          ...watched.flatMap((watchedEntity) =>
            random.sample(
              watchedEntity.circle,
              Math.round(watchedEntity.circle.length * (0.1 + 0.3 * random.next())),
            ),
          ),
        ];
        break;
      }
      case 'namesake': {
        const words = entity.name.split(' ');
        profile.handle = random.chance(0.25)
          ? entity.handleBase
          : slug(`${random.pick(words)} ${random.pick([...FIRST_NAMES, ...HOBBY_WORDS])}`);
        if (random.chance(0.5)) profile.displayName = `${random.pick(words)} ${random.pick(LAST_NAMES)}`;
        break;
      }
      case 'fan': {
        profile.displayName = `${entity.slogans[0]} ${entity.slogans[1]}`;
        profile.bio = `${entity.slogans.join(' ')}. supporter`;
        profile.followees = [
          ...(profile.followees ?? []),
          ...random.sample(entity.circle, Math.round(entity.circle.length * (0.2 + 0.3 * random.next()))),
        ];
        if (random.chance(0.15)) profile.avatarPdq = flipBits(entity.logo, random.int(8, 30), random);
        break;
      }
      case 'shared-nat':
        profile.ip = `${random.pick(entity.nets)}.${random.int(1, 254)}`;
        break;
      case 'default-avatar':
        profile.avatarPdq = world.defaultAvatar;
        profile.handle = slug(`${random.pick(entity.name.split(' '))} ${random.pick(FIRST_NAMES)}`);
        break;
      case 'popular-link':
        profile.links = [entity.popularLink ?? random.pick(POPULAR_LINKS)];
        break;
    }
  }
  const id = nextId(platform);
  const createdAt = start + Math.round((random.next() * 35 - 5) * DAY);
  const events: PlannedAccount['events'] = [{ at: createdAt, type: 'account.created', profile }];
  if (random.chance(0.1)) {
    events.push({
      at: createdAt + random.int(1, 96) * HOUR,
      type: 'account.updated',
      profile: { ...profile, bio: `${profile.bio ?? ''} ${random.pick(HOBBY_WORDS)}`.trim() },
    });
  }
  return {
    platform,
    id,
    label: {
      account: `${platform}:${id}`,
      kind: 'benign',
      tactics: kind ? [kind] : [],
      ...(kind && { hardNegative: kind }),
    },
    events,
  };
}
