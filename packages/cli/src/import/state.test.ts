import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ImportState, loadState, saveState } from './state.js';

const file = { size: 1234, sha256: 'a'.repeat(64) };
const state: ImportState = {
  version: 1,
  file,
  settings: 'ban',
  nextRow: 500,
  resumeLine: 502,
  rowsDone: 498,
  accepted: 490,
  duplicates: 8,
  updatedAt: '2026-11-30T10:00:00.000Z',
};

describe('import state file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mw-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips and leaves no temporary file behind', async () => {
    const path = join(dir, 'rows.csv.import-state.json');
    await saveState(path, state);
    await saveState(path, { ...state, nextRow: 1000 });
    expect(await loadState(path, file, 'ban')).toEqual({
      kind: 'resume',
      state: { ...state, nextRow: 1000 },
    });
    expect(await readdir(dir)).toEqual(['rows.csv.import-state.json']);
  });

  it('is absent before the first acknowledged batch', async () => {
    expect(await loadState(join(dir, 'missing.json'), file, 'ban')).toEqual({ kind: 'none' });
  });

  it('is not reused for another file content, other settings, or a torn or foreign file', async () => {
    const path = join(dir, 'state.json');
    await saveState(path, state);
    expect(await loadState(path, { ...file, size: 1235 }, 'ban')).toMatchObject({ kind: 'stale' });
    expect(await loadState(path, { ...file, sha256: 'b'.repeat(64) }, 'ban')).toMatchObject({
      kind: 'stale',
      reason: expect.stringContaining('different version of the input file'),
    });
    expect(await loadState(path, file, 'report')).toMatchObject({
      kind: 'stale',
      reason: expect.stringContaining('different --as'),
    });
    await writeFile(path, '{"version":1,"nextRow":');
    expect(await loadState(path, file, 'ban')).toMatchObject({
      kind: 'stale',
      reason: 'it is not valid JSON',
    });
    await writeFile(path, '{"hello":"world"}');
    expect(await loadState(path, file, 'ban')).toMatchObject({ kind: 'stale' });
  });

  it('throws when the state cannot be written, leaving the saved one intact', async () => {
    const path = join(dir, 'state.json');
    await saveState(path, state);
    await expect(saveState(join(dir, 'no-such-dir', 'state.json'), state)).rejects.toThrow();
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(state);
  });
});
