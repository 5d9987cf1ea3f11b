import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive, spawnManaged } from './process.js';
import { findRepoRoot } from './root.js';

/**
 * Gone = no such pid, or a zombie: an orphaned grandchild is reparented to pid 1, and a container's
 * pid 1 does not always reap, but a zombie holds no resources.
 */
function isGone(pid: number): boolean {
  if (!isProcessAlive(pid)) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(25);
  }
  return condition();
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mirrorwatch-process-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('spawnManaged', () => {
  it('stops a well-behaved child with SIGTERM', async () => {
    const proc = await spawnManaged({
      name: 'sleep',
      command: 'sleep',
      args: ['300'],
      logFile: join(dir, 'a.log'),
    });
    const startedAt = performance.now();
    await proc.stop(5000);
    expect(performance.now() - startedAt).toBeLessThan(2000);
    expect(proc.exitInfo()).toEqual({ code: null, signal: 'SIGTERM' });
    expect(isProcessAlive(proc.pid)).toBe(false);
    await proc.stop(5000); // idempotent
  });

  it('escalates to SIGKILL and takes the whole process group with it', async () => {
    const logFile = join(dir, 'b.log');
    const proc = await spawnManaged({
      name: 'stubborn',
      command: '/bin/sh',
      // Ignored signals are inherited, so neither the shell nor its sleep reacts to SIGTERM.
      args: ['-c', 'trap "" TERM; sleep 300 & echo "grandchild $!"; wait'],
      logFile,
    });
    expect(await waitUntil(async () => (await readFile(logFile, 'utf8')).includes('grandchild'), 5000)).toBe(
      true,
    );
    const grandchild = Number(/grandchild (\d+)/.exec(await readFile(logFile, 'utf8'))?.[1]);
    expect(isGone(grandchild)).toBe(false);

    const startedAt = performance.now();
    await proc.stop(300);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(250);
    expect(proc.exitInfo()?.signal).toBe('SIGKILL');
    expect(isProcessAlive(proc.pid)).toBe(false);
    expect(await waitUntil(() => isGone(grandchild), 2000)).toBe(true);
  });

  it('rejects when the command does not exist', async () => {
    await expect(
      spawnManaged({
        name: 'nope',
        command: 'definitely-not-a-command-7f3a',
        args: [],
        logFile: join(dir, 'c.log'),
      }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('a parent that dies without calling stop()', () => {
  const processModule = pathToFileURL(fileURLToPath(new URL('./process.ts', import.meta.url))).href;

  /** Runs a node process that starts `sleep 300` through spawnManaged, then does `then`. */
  async function orphanScenario(
    then: string,
  ): Promise<{ parentPid: number; childPid: number; exited: Promise<void> }> {
    const code = [
      `const { spawnManaged } = await import(${JSON.stringify(processModule)});`,
      `const p = await spawnManaged({ name: 'victim', command: 'sleep', args: ['300'], logFile: ${JSON.stringify(join(dir, 'orphan.log'))} });`,
      "process.stdout.write(String(p.pid) + '\\n');",
      then,
    ].join('\n');
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: findRepoRoot(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => parent.once('exit', () => resolve()));
    const childPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      parent.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(Number(out.trim()));
      });
      parent.once('exit', (code) => reject(new Error(`fixture exited early (${code})`)));
    });
    return { parentPid: parent.pid!, childPid, exited };
  }

  it('kills the children when the parent exits normally (exit hook)', async () => {
    const { childPid, exited } = await orphanScenario('setTimeout(() => process.exit(0), 50);');
    await exited;
    expect(await waitUntil(() => isGone(childPid), 2000)).toBe(true);
  }, 20_000);

  it('kills the children when the parent is SIGKILLed (reaper)', async () => {
    const { parentPid, childPid, exited } = await orphanScenario('setInterval(() => {}, 1000);');
    try {
      expect(isGone(childPid)).toBe(false);
      process.kill(parentPid, 'SIGKILL');
      await exited;
      expect(await waitUntil(() => isGone(childPid), 3000)).toBe(true);
    } finally {
      if (!isGone(childPid)) process.kill(-childPid, 'SIGKILL');
    }
  }, 20_000);
});
