import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tailFile, watchLogFor } from './logfile.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mirrorwatch-logfile-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tailFile', () => {
  it('returns the last lines without the trailing newline', async () => {
    const path = join(dir, 'seq.log');
    await writeFile(path, `${Array.from({ length: 100 }, (_, i) => i + 1).join('\n')}\n`);
    expect(await tailFile(path, 3)).toBe('98\n99\n100');
  });

  it('drops the partial first line when only the end of a big file is read', async () => {
    const path = join(dir, 'big.log');
    await writeFile(path, `${'x'.repeat(100)}\nlast line\n`);
    expect(await tailFile(path, 10, 20)).toBe('last line');
  });

  it('strips terminal escapes (mvn prints them even with -B)', async () => {
    const path = join(dir, 'ansi.log');
    await writeFile(path, '\u001b[0m\u001b[0m[ERROR] boom\n');
    expect(await tailFile(path)).toBe('[ERROR] boom');
  });

  it('says so when the file cannot be read', async () => {
    expect(await tailFile(join(dir, 'missing.log'))).toMatch(/could not read/);
    await writeFile(join(dir, 'empty.log'), '');
    expect(await tailFile(join(dir, 'empty.log'))).toBe('(empty)');
  });
});

describe('watchLogFor', () => {
  it('finds a message that arrives later, even split across two writes', async () => {
    const path = join(dir, 'server.log');
    const seen = watchLogFor(path, 'Kafka Server started');
    expect(await seen()).toBe(false); // file does not exist yet
    await writeFile(path, 'starting...\n[KafkaRaftServer nodeId=1] Kafka Ser');
    expect(await seen()).toBe(false);
    await appendFile(path, 'ver started (kafka.server.KafkaRaftServer)\n');
    expect(await seen()).toBe(true);
    expect(await seen()).toBe(true);
  });
});
