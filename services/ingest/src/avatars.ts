import { PdqError, pdqFromImage } from '@mirrorwatch/engine';
import type { Account } from '@mirrorwatch/schemas';

export type HashedAvatar = { ok: true; account: Account } | { ok: false; message: string };

/**
 * Replaces an account's `avatarImage` by its PDQ hash, so images never travel further than
 * ingest. A `avatarPdq` sent alongside wins (the platform may hash at a better resolution).
 * An image that does not decode is reported, not thrown.
 */
export async function hashAvatar(account: Account): Promise<HashedAvatar> {
  const { avatarImage, ...rest } = account;
  if (avatarImage === undefined) return { ok: true, account };
  if (rest.avatarPdq !== undefined) return { ok: true, account: rest };
  try {
    const { hash } = await pdqFromImage(Buffer.from(avatarImage, 'base64'));
    return { ok: true, account: { ...rest, avatarPdq: hash } };
  } catch (error) {
    if (!(error instanceof PdqError)) throw error;
    return { ok: false, message: error.message };
  }
}
