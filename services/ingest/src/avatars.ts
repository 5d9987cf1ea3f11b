import { PdqError, pdqFromImage } from '@mirrorwatch/engine';
import type { InvalidField } from '@mirrorwatch/http';
import type { Event } from '@mirrorwatch/schemas';

/**
 * Replaces each `avatarImage` by its PDQ hash, so images never travel further than ingest. A
 * `avatarPdq` sent alongside wins (the platform may hash at a better resolution). Returns the
 * events to publish, or the fields whose image could not be decoded.
 */
export async function hashAvatars(
  events: Event[],
  fieldPath: (index: number) => Array<string | number>,
): Promise<{ events: Event[]; invalid: InvalidField[] }> {
  const invalid: InvalidField[] = [];
  const hashed = await Promise.all(
    events.map(async (event, index): Promise<Event> => {
      const { avatarImage, ...account } = event.account;
      if (avatarImage === undefined) return event;
      if (account.avatarPdq !== undefined) return { ...event, account };
      try {
        const { hash } = await pdqFromImage(Buffer.from(avatarImage, 'base64'));
        return { ...event, account: { ...account, avatarPdq: hash } };
      } catch (error) {
        if (!(error instanceof PdqError)) throw error;
        invalid.push({ path: [...fieldPath(index), 'account', 'avatarImage'], message: error.message });
        return event;
      }
    }),
  );
  return { events: hashed, invalid };
}
