import { randomUUID } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileIdentity } from './input.js';

/**
 * How far an import of one file has got. Every row before `nextRow` was acknowledged by ingest
 * (202) or rejected here; a rerun starts at `nextRow` (rows after it may have been acknowledged
 * too: sent again, they are counted as duplicates). It belongs to one file content (size and
 * sha256) and one set of settings (how rows are sent), so neither a changed file nor a different
 * command line reuses it.
 */
export interface ImportState {
  version: 1;
  file: FileIdentity;
  /** Fingerprint of what decides each row's id and destination (mode, source, defaults). */
  settings: string;
  /** 0-based index of the first data row not yet done. */
  nextRow: number;
  /** Line of the row at `nextRow`, for messages; null once the whole file is done. */
  resumeLine: number | null;
  /** Good rows before `nextRow` (all sent and acknowledged, or refused by ingest). */
  rowsDone: number;
  /** Totals over every run of this import. */
  accepted: number;
  duplicates: number;
  updatedAt: string;
}

export type LoadedState =
  | { kind: 'none' }
  | { kind: 'resume'; state: ImportState }
  /** A state file for another file or other settings: start over (ids are deterministic, so that is safe). */
  | { kind: 'stale'; reason: string };

export async function loadState(path: string, file: FileIdentity, settings: string): Promise<LoadedState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw error;
  }
  let state: ImportState;
  try {
    state = JSON.parse(text) as ImportState;
  } catch {
    return { kind: 'stale', reason: 'it is not valid JSON' };
  }
  if (state.version !== 1 || typeof state.nextRow !== 'number' || typeof state.file !== 'object')
    return { kind: 'stale', reason: 'it is not an import state' };
  if (state.file.size !== file.size || state.file.sha256 !== file.sha256)
    return { kind: 'stale', reason: 'it belongs to a different version of the input file' };
  if (state.settings !== settings)
    return { kind: 'stale', reason: 'it was written with different --as, --source or default options' };
  return { kind: 'resume', state };
}

/**
 * Replaces the state file atomically: the new content is written and flushed to a temporary file
 * beside it, then renamed over it. A crash at any moment leaves the old state or the new one,
 * never a torn file.
 */
export async function saveState(path: string, state: ImportState): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  // Make the rename itself durable where the platform allows syncing a directory.
  const directory = await open(dirname(path), 'r').catch(() => undefined);
  await directory
    ?.sync()
    .catch(() => undefined)
    .finally(() => directory.close());
}
