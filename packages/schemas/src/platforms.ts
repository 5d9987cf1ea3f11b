import { z } from 'zod';

/** Platforms an operator can connect; the webhook path segment `:platform` is one of these. */
export const PLATFORMS = ['x', 'facebook', 'instagram', 'whatsapp', 'telegram'] as const;
export const Platform = z.enum(PLATFORMS);
export type Platform = z.infer<typeof Platform>;

export function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}
