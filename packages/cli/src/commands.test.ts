import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCommand } from './commands.js';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'turbo.json'))) dir = dirname(dir);
  return dir;
}

function captureStreams() {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  return { out: () => stdout, err: () => stderr };
}

afterEach(() => vi.restoreAllMocks());

describe('mirrorwatch CLI', () => {
  it('prints the PDQ hash and quality of an image', async () => {
    const streams = captureStreams();
    const image = resolve(repoRoot(), '..', 'shared', 'data', 'pdq', 'misc-images', 'wee.jpg');
    expect(await runCommand(['pdq', image])).toBe(0);
    expect(streams.out()).toMatch(/^6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d 100\n$/);
  });

  it('writes a simulated scenario as JSONL', async () => {
    const streams = captureStreams();
    expect(await runCommand(['simulate', '--seed', '3', '--accounts', '50'])).toBe(0);
    const lines = streams.out().trim().split('\n');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ record: 'event' });
    expect(lines.filter((line) => line.includes('"record":"label"'))).toHaveLength(50);
  });

  it('answers a wrong command line with usage and exit code 2', async () => {
    const streams = captureStreams();
    expect(await runCommand(['frobnicate'])).toBe(2);
    expect(streams.err()).toContain('unknown command "frobnicate"');
    expect(await runCommand(['simulate', '--accounts', 'many'])).toBe(2);
    expect(streams.err()).toContain('--accounts must be a non-negative integer');
    expect(await runCommand(['pdq'])).toBe(2);
  });
});
