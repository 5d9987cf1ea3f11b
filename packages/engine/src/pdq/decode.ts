import sharp from 'sharp';
import { type PdqResult, pdqFromPixels } from './hash.js';

export class PdqError extends Error {
  constructor(
    readonly code: 'MW_IMAGE_UNREADABLE' | 'MW_IMAGE_TOO_LARGE',
    message: string,
  ) {
    super(message);
    this.name = 'PdqError';
  }
}

/** Decoded images above this many pixels are refused: a 50 MP "avatar" is an attack, not a logo. */
export const MAX_PIXELS = 25_000_000;

/**
 * PDQ of JPEG or PNG bytes. Pixels are taken as stored (no EXIF rotation, alpha ignored), as the
 * reference does, so hashes agree with other PDQ implementations.
 */
export async function pdqFromImage(bytes: Uint8Array): Promise<PdqResult> {
  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    decoded = await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    const message = (error as Error).message;
    if (/pixel limit/i.test(message))
      throw new PdqError('MW_IMAGE_TOO_LARGE', `image exceeds ${MAX_PIXELS} pixels`);
    throw new PdqError('MW_IMAGE_UNREADABLE', `not a readable JPEG or PNG image: ${message}`);
  }
  const { data, info } = decoded;
  return pdqFromPixels(data, info.width, info.height, info.channels);
}
