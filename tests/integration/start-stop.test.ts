import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { descendants, freePort, isAlive, type ProcessInfo } from '../support/processes.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('npm start', () => {
  let child: ChildProcess | undefined;

  afterAll(() => {
    // Only reached with a live child when an assertion failed midway.
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  });

  it('brings every service to ready and, on SIGINT, stops everything it started', async () => {
    const ports = {
      INGEST_PORT: await freePort(),
      MATCHER_PORT: await freePort(),
      ALERTS_PORT: await freePort(),
    };
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
    // Make it start its own Kafka and Redis, so there is something of its own to clean up.
    delete env.KAFKA_BROKERS;
    delete env.REDIS_URL;
    for (const [name, port] of Object.entries(ports)) env[name] = String(port);

    child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });

    await expect
      .poll(() => output, { timeout: 240_000, interval: 500 })
      .toMatch(/Mirrorwatch is running in development mode \(ready in [\d.]+ s\)/);

    for (const port of Object.values(ports)) {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(response.status, `readyz on ${port}`).toBe(200);
    }

    const started: ProcessInfo[] = descendants(child.pid!);
    const commands = started.map((info) => info.command);
    expect(commands.some((command) => /\bjava\b.*kafka\.Kafka/.test(command))).toBe(true);
    expect(commands.some((command) => command.includes('redis-server'))).toBe(true);
    for (const service of ['ingest', 'matcher', 'alerts']) {
      expect(commands.some((command) => command.includes(`services/${service}/src/main.ts`))).toBe(true);
    }

    const exited = once(child, 'exit');
    process.kill(child.pid!, 'SIGINT');
    const [code] = await exited;
    expect(code).toBe(0);

    const survivors = started.filter((info) => isAlive(info.pid));
    expect(survivors.map((info) => info.command)).toEqual([]);
    for (const port of Object.values(ports)) {
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    }
  }, 300_000);
});
