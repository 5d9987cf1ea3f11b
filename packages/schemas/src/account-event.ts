import { z } from 'zod';
import { Ban, base64Text, EVENT_TYPES, PdqHex, stringList } from './event.js';
import { Platform } from './platforms.js';

/** Keyed HMAC of a normalised identifier (hex). Raw identifiers never leave ingest. */
export const IdentifierHash = z.string().regex(/^[0-9a-f]{32,64}$/, 'must be a hex keyed hash');

/** Internal event types beside the contract's: a report from outside the platform. */
export const ACCOUNT_EVENT_TYPES = [...EVENT_TYPES, 'account.reported'] as const;
export const AccountEventType = z.enum(ACCOUNT_EVENT_TYPES);
export type AccountEventType = z.infer<typeof AccountEventType>;

/** Who reported an `account.reported` account, for which entity and why. */
export const ReportInfo = z.object({
  source: z.string().min(1),
  entity: z.string().min(1),
  reason: z.string().min(1),
});
export type ReportInfo = z.infer<typeof ReportInfo>;

/**
 * An account event as published on Kafka: the contract Event after ingest has verified it,
 * replaced every raw identifier (email, phone, device id, IP) by its keyed hash and turned any
 * avatar image into a PDQ hash.
 */
export const AccountEventMessage = z.object({
  schemaVersion: z.literal(1),
  eventId: z.string().min(1),
  platform: Platform,
  type: AccountEventType,
  occurredAt: z.iso.datetime({ offset: true }),
  /** When ingest received the webhook (ISO 8601); the start of alert latency. */
  receivedAt: z.iso.datetime({ offset: true }),
  account: z.object({
    id: z.string().min(1),
    handle: z.string().min(1),
    displayName: z.string().optional(),
    bio: z.string().optional(),
    links: z.array(z.string()).optional(),
    avatarPdq: PdqHex.optional(),
    emailHash: IdentifierHash.optional(),
    phoneHash: IdentifierHash.optional(),
    deviceHash: IdentifierHash.optional(),
    /** Keyed hash of the network prefix (/24 IPv4, /48 IPv6), not of the address. */
    ipPrefixHash: IdentifierHash.optional(),
    /** From producers that publish the follow list itself; ingest publishes `followeesSignature`. */
    followees: stringList().optional(),
    /**
     * What ingest publishes in place of the follow list: its MinHash signature, base64 of 64
     * little-endian 32-bit slots (`encodeSetSignature` in the engine).
     */
    followeesSignature: base64Text(4096).optional(),
    createdAt: z.iso.datetime({ offset: true }).optional(),
  }),
  ban: Ban.optional(),
  /** Present exactly when `type` is `account.reported`. */
  report: ReportInfo.optional(),
});
export type AccountEventMessage = z.infer<typeof AccountEventMessage>;
