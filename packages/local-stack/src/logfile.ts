import { open } from 'node:fs/promises';
import { stripVTControlCharacters } from 'node:util';

/** The last `maxLines` lines (at most `maxBytes`) of a log file, for error messages. */
export async function tailFile(path: string, maxLines = 40, maxBytes = 16 * 1024): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').trimEnd().split('\n');
    // The first line is probably cut in half when we did not read from the start.
    if (length < size) lines.shift();
    // mvn prints colour resets even in batch mode; they only garble error messages.
    const text = stripVTControlCharacters(lines.slice(-maxLines).join('\n')).trimEnd();
    return text === '' ? '(empty)' : text;
  } catch (err) {
    return `(could not read ${path}: ${(err as Error).message})`;
  } finally {
    await handle?.close();
  }
}

/** Returns a poll function that reads only what was appended since the last call. */
export function watchLogFor(path: string, needle: string): () => Promise<boolean> {
  let offset = 0;
  let carry = '';
  let found = false;
  return async () => {
    if (found) return true;
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(path, 'r');
      const { size } = await handle.stat();
      if (size > offset) {
        const buffer = Buffer.alloc(size - offset);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        offset += bytesRead;
        const text = carry + buffer.subarray(0, bytesRead).toString('utf8');
        found = text.includes(needle);
        // Keep a tail so a needle split across two reads is still found.
        carry = text.slice(-needle.length);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    } finally {
      await handle?.close();
    }
    return found;
  };
}
