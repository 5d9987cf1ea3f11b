import { z } from 'zod';

/**
 * The public webhook contract (DESIGN.md, "External contract (v1)"). Other systems are built
 * against these shapes: widen with care, never narrow.
 */

export const EVENT_TYPES = [
  'account.created',
  'account.updated',
  'account.banned',
  'account.reinstated',
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

export const MAX_EVENTS_PER_REQUEST = 1000;
export const MAX_FOLLOWEES = 5000;
/** Decoded avatar image limit; base64 grows it by 4/3. */
export const MAX_AVATAR_IMAGE_BYTES = 1024 * 1024;

export const PdqHex = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters (a PDQ hash)');
const IsoDateTime = z.iso.datetime({ offset: true });
/** Base64 text of at most `maxLength` characters; `tooLong` says what the limit is for. */
export const base64Text = (maxLength: number, tooLong?: string) =>
  z
    .string()
    .max(maxLength, tooLong)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const Base64 = base64Text(Math.ceil(MAX_AVATAR_IMAGE_BYTES / 3) * 4, 'image must be at most 1 MiB');

/**
 * A list of strings checked in one plain loop. `z.array(z.string().min().max())` runs every item
 * through zod's per-value machinery: on a follow list of a few hundred accounts that was most
 * of validating an event, paid in ingest and again by every consumer. Each bad item is still
 * reported at its own index (`followees.17`).
 */
export function stringList({
  minLength = 0,
  maxLength = Number.POSITIVE_INFINITY,
  maxItems = Number.POSITIVE_INFINITY,
}: {
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
} = {}) {
  const itemRule = Number.isFinite(maxLength)
    ? `a string of ${minLength} to ${maxLength} characters`
    : `a string of at least ${minLength} characters`;
  return z.custom<string[]>().superRefine((value, context) => {
    if (!Array.isArray(value)) {
      context.addIssue({ code: 'custom', message: 'must be an array of strings' });
      return;
    }
    if (value.length > maxItems) {
      context.addIssue({ code: 'custom', message: `must hold at most ${maxItems} items` });
      return;
    }
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      if (typeof item !== 'string' || item.length < minLength || item.length > maxLength)
        context.addIssue({ code: 'custom', path: [index], message: `must be ${itemRule}` });
    }
  });
}

export const Ban = z.object({
  reason: z.string().min(1).max(500),
  entity: z.string().min(1).max(200),
  policy: z.string().min(1).max(200).optional(),
});
export type Ban = z.infer<typeof Ban>;

export const Account = z.object({
  id: z.string().min(1).max(200),
  handle: z.string().min(1).max(200),
  displayName: z.string().max(500).optional(),
  bio: z.string().max(5000).optional(),
  links: z.array(z.string().min(1).max(2048)).max(50).optional(),
  avatarPdq: PdqHex.optional(),
  avatarImage: Base64.optional(),
  email: z.string().min(3).max(320).optional(),
  phone: z.string().min(3).max(40).optional(),
  deviceId: z.string().min(1).max(200).optional(),
  ip: z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' }).optional(),
  followees: stringList({ minLength: 1, maxLength: 200, maxItems: MAX_FOLLOWEES }).optional(),
  createdAt: IsoDateTime.optional(),
});
export type Account = z.infer<typeof Account>;

const eventFields = {
  eventId: z.string().min(1).max(200),
  occurredAt: IsoDateTime,
  account: Account,
};

/** Split on `type` so a banned account without `ban` is reported as such, beside any other problem. */
export const Event = z.discriminatedUnion('type', [
  z.object({
    ...eventFields,
    type: z.enum(['account.created', 'account.updated', 'account.reinstated']),
    ban: Ban.optional(),
  }),
  z.object({ ...eventFields, type: z.literal('account.banned'), ban: Ban }),
]);
export type Event = z.infer<typeof Event>;

/**
 * A body holding one item or `{ [field]: [...] }` with 1–1000 of them; either way it comes out as a
 * batch. The shape is chosen by the presence of `field`, so a bad body is reported against the
 * shape the sender meant (field paths like `events.3.account.handle`), not as "no union member
 * matched".
 */
function oneOrBatch<Item extends z.ZodType, Field extends string>(item: Item, field: Field) {
  const batch = z.object({ [field]: z.array(item).min(1).max(MAX_EVENTS_PER_REQUEST) });
  return z.unknown().transform((body, ctx): Record<Field, z.output<Item>[]> => {
    const isBatch = typeof body === 'object' && body !== null && field in body;
    const parsed = isBatch ? batch.safeParse(body) : item.safeParse(body);
    if (parsed.success)
      return (isBatch ? parsed.data : { [field]: [parsed.data] }) as Record<Field, z.output<Item>[]>;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: body });
    }
    return z.NEVER;
  });
}

/** A webhook body: one Event, or `{ events: [...] }` with 1–1000 of them. */
export const WebhookBody = oneOrBatch(Event, 'events');
export type WebhookBody = z.output<typeof WebhookBody>;

/**
 * A report from outside the platform (a trusted flagger, an authority): this account is said to
 * belong to `entity`. A report is a lead for human review, never a ban by itself.
 * `POST /v1/reports/:platform`, signed like the webhooks.
 */
export const Report = z.object({
  reportId: z.string().min(1).max(200),
  occurredAt: IsoDateTime,
  /** Who reported it: the trusted flagger or authority, by name. */
  source: z.string().min(1).max(200),
  entity: z.string().min(1).max(200),
  reason: z.string().min(1).max(500),
  account: Account,
});
export type Report = z.infer<typeof Report>;

/** A reports body: one Report, or `{ reports: [...] }` with 1–1000 of them. */
export const ReportsBody = oneOrBatch(Report, 'reports');
export type ReportsBody = z.output<typeof ReportsBody>;
