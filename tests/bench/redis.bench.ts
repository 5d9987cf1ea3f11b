// The limit beside us: what this machine's Redis does with pipelined simple commands, measured by
// redis-benchmark (Debian's redis-tools) against a redis-server this bench starts and stops.
//   node --conditions=source --import tsx tests/bench/redis.bench.ts [--requests 200000] [--runs 3]
//
// -P 16 pipelining, 50 clients (redis-benchmark's default), GET/SET/SADD/INCR/HSET plus SMEMBERS of
// a 20-member set (what candidate retrieval reads). Per command the median of --runs runs; the
// headline is the median over the commands. Prints a JSON line last.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureRedis } from '@mirrorwatch/local-stack';
import { argument, median, say as sayAs } from './common.js';

const requests = Number(argument('requests', '200000'));
const runs = Number(argument('runs', '3'));
const say = (line: string) => sayAs('redis', line);
const exec = promisify(execFile);

const redis = await ensureRedis({ log: { info: say, warn: say } });
try {
  const port = new URL(redis.url).port;
  const common = ['-h', '127.0.0.1', '-p', port, '-q', '-P', '16', '-n', String(requests), '--csv'];
  await exec('redis-cli', [
    '-p',
    port,
    'sadd',
    'bench:set',
    ...Array.from({ length: 20 }, (_, n) => String(n)),
  ]);
  const perCommand = new Map<string, number[]>();
  for (let n = 0; n < runs; n += 1) {
    const outputs = [
      (await exec('redis-benchmark', [...common, '-t', 'get,set,sadd,incr,hset'])).stdout,
      (await exec('redis-benchmark', [...common, 'smembers', 'bench:set'])).stdout,
    ];
    for (const line of outputs.join('\n').split('\n')) {
      const [test, rps] = line.split(',').map((cell) => cell.replaceAll('"', ''));
      if (!test || test === 'test' || rps === undefined) continue;
      const command = test.split(' ')[0]?.toUpperCase() ?? test;
      perCommand.set(command, [...(perCommand.get(command) ?? []), Number(rps)]);
    }
  }
  const opsPerSec = Object.fromEntries(
    [...perCommand].map(([command, rps]) => [command, Math.round(median(rps))]),
  );
  say(
    Object.entries(opsPerSec)
      .map(([command, rps]) => `${command} ${rps}/s`)
      .join(', '),
  );
  const { stdout: version } = await exec('redis-benchmark', ['--version']);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'redis-benchmark',
      version: version.trim(),
      pipeline: 16,
      requests,
      redisBenchmarkOpsPerSec: Math.round(median(Object.values(opsPerSec))),
      opsPerSec,
    })}\n`,
  );
} finally {
  await redis.stop();
}
