import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StackLogger } from './log.js';
import { canConnect, pickFreePort } from './ports.js';
import { isProcessAlive } from './process.js';
import { clusterInfo, startRedisCluster } from './redis-cluster.js';

const quiet: StackLogger = { info: () => {}, warn: () => {} };
const portsOf = (url: string) =>
  url
    .replace('redis+cluster://', '')
    .split(',')
    .map((node) => Number(node.split(':')[1]));

describe('startRedisCluster', { timeout: 30_000 }, () => {
  it('starts three masters sharing every slot, and stops them and their files again', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mirrorwatch-cluster-test-'));
    try {
      const startedAt = performance.now();
      const cluster = await startRedisCluster({ dataDir, log: quiet });
      expect(performance.now() - startedAt).toBeLessThan(15_000);
      expect(cluster.url).toMatch(/^redis\+cluster:\/\/127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/);
      expect(cluster.pids).toHaveLength(3);
      const ports = portsOf(cluster.url);
      for (const port of ports) {
        const info = await clusterInfo('127.0.0.1', port);
        expect(info).toMatch(/^cluster_state:ok\r$/m);
        expect(info).toMatch(/^cluster_slots_assigned:16384\r$/m);
        expect(info).toMatch(/^cluster_known_nodes:3\r$/m);
        expect(info).toMatch(/^cluster_size:3\r$/m);
      }
      // Each node in a dir of its own, under the data dir given.
      expect(
        (await readdir(join(dataDir, 'redis-cluster'))).filter((name) => name.startsWith('node-')),
      ).toHaveLength(3);

      // Adopting a running cluster by URL starts nothing and stops nothing.
      const adopted = await startRedisCluster({ url: cluster.url, log: quiet });
      expect(adopted).toMatchObject({ url: cluster.url, pids: [] });
      await adopted.stop();
      expect(await clusterInfo('127.0.0.1', ports[0]!)).toMatch(/cluster_state:ok/);

      await cluster.stop();
      await cluster.stop(); // idempotent
      for (const pid of cluster.pids) expect(isProcessAlive(pid)).toBe(false);
      for (const port of ports) expect(await canConnect('127.0.0.1', port)).toBe(false);
      // A data dir the caller gave is kept.
      expect(existsSync(dataDir)).toBe(true);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('removes a temp dir of its own on stop', async () => {
    const cluster = await startRedisCluster({ log: quiet });
    const [port] = portsOf(cluster.url);
    expect(existsSync(join(cluster.dir!, `node-${port}`, 'nodes.conf'))).toBe(true);
    await cluster.stop();
    expect(await canConnect('127.0.0.1', port!)).toBe(false);
    expect(existsSync(cluster.dir!)).toBe(false);
  });

  it('refuses fewer than three masters and an unreachable cluster, never printing its password', async () => {
    await expect(startRedisCluster({ masters: 2, log: quiet })).rejects.toThrow(/at least 3 masters/);
    const port = await pickFreePort();
    const error = await startRedisCluster({
      url: `redis+cluster://:hunter2@127.0.0.1:${port}`,
      log: quiet,
    }).catch((err: Error) => err);
    expect((error as Error).message).toContain(
      `Redis Cluster at redis+cluster://:***@127.0.0.1:${port} is not reachable`,
    );
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect((error as Error).message).not.toContain('hunter2');
  });
});
