import { encodeSetSignature, followeesSignature } from '@mirrorwatch/engine';
import type { AccountEventMessage } from '@mirrorwatch/schemas';

/**
 * Replaces an account's follow list by its MinHash signature, all the matcher compares. A list
 * of a few hundred account ids was most of an event's bytes on Kafka and most of the matcher's
 * decoding; the signature is 344 characters, and who an account follows goes no further than
 * ingest. An empty list has no signature and is dropped, as the matcher would ignore it.
 */
export function withFolloweesSignature(message: AccountEventMessage): AccountEventMessage {
  const { followees, ...account } = message.account;
  if (followees === undefined) return message;
  const signature = followeesSignature(followees);
  return {
    ...message,
    account: signature ? { ...account, followeesSignature: encodeSetSignature(signature) } : account,
  };
}
