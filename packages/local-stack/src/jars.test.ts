import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureKafkaJars } from './jars.js';
import type { StackLogger } from './log.js';

// A stand-in for mvn on PATH, so the cache logic is tested without Maven Central.
const FAKE_MVN = `#!/bin/sh
echo "$@" >> "$FAKE_MVN_CALLS"
if [ -n "$FAKE_MVN_FAIL" ]; then echo "[ERROR] $FAKE_MVN_FAIL"; exit 1; fi
for arg in "$@"; do case "$arg" in -DoutputDirectory=*) out="\${arg#-DoutputDirectory=}";; esac; done
mkdir -p "$out" && touch "$out/kafka_2.13-0.0.1-test.jar" "$out/scala-library-2.13.jar"
`;

describe('ensureKafkaJars', () => {
  let dir: string;
  let pomPath: string;
  let calls: string;
  const savedPath = process.env.PATH;
  const lines: string[] = [];
  const log: StackLogger = { info: (m) => lines.push(m), warn: (m) => lines.push(m) };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mirrorwatch-jars-test-'));
    await mkdir(join(dir, 'bin'));
    await writeFile(join(dir, 'bin', 'mvn'), FAKE_MVN);
    await chmod(join(dir, 'bin', 'mvn'), 0o755);
    pomPath = join(dir, 'pom.xml');
    await writeFile(
      pomPath,
      '<project><properties><kafka.version>0.0.1-test</kafka.version></properties></project>',
    );
    calls = join(dir, 'mvn-calls.log');
    process.env.PATH = `${join(dir, 'bin')}:${savedPath}`;
    process.env.FAKE_MVN_CALLS = calls;
    lines.length = 0;
  });

  afterEach(async () => {
    process.env.PATH = savedPath;
    delete process.env.FAKE_MVN_CALLS;
    delete process.env.FAKE_MVN_FAIL;
    await rm(dir, { recursive: true, force: true });
  });

  async function mvnCalls(): Promise<string[]> {
    return (await readFile(calls, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  }

  it('resolves once into <root>/.cache/kafka/<version>/libs, then reuses the cache', async () => {
    const jars = await ensureKafkaJars({ rootDir: dir, pomPath, log });
    expect(jars).toEqual({
      version: '0.0.1-test',
      libsDir: join(dir, '.cache/kafka/0.0.1-test/libs'),
      classpath: join(dir, '.cache/kafka/0.0.1-test/libs/*'),
    });
    expect(lines[0]).toBe('resolving Kafka jars from Maven Central (first run only)…');
    expect(lines[1]).toMatch(/^resolved 2 Kafka 0\.0\.1-test jars in \d/);
    const [call] = await mvnCalls();
    expect(call).toContain('-B');
    expect(call).toContain(`-f ${pomPath} dependency:copy-dependencies -DincludeScope=runtime`);

    await ensureKafkaJars({ rootDir: dir, pomPath, log });
    expect(await mvnCalls()).toHaveLength(1);
    expect(lines).toHaveLength(2);
  });

  it('resolves again when the pom changed or libs/ was deleted', async () => {
    await ensureKafkaJars({ rootDir: dir, pomPath, log });
    await writeFile(pomPath, `${await readFile(pomPath, 'utf8')}\n<!-- edited -->`);
    await ensureKafkaJars({ rootDir: dir, pomPath, log });
    await rm(join(dir, '.cache/kafka/0.0.1-test/libs'), { recursive: true });
    await ensureKafkaJars({ rootDir: dir, pomPath, log });
    expect(await mvnCalls()).toHaveLength(3);
  });

  it("passes mvn's failure output through", async () => {
    process.env.FAKE_MVN_FAIL = 'Could not resolve dependencies for project';
    const error = await ensureKafkaJars({ rootDir: dir, pomPath, log }).catch((err: Error) => err);
    expect((error as Error).message).toMatch(/mvn dependency:copy-dependencies .* failed \(exit code 1\)/);
    expect((error as Error).message).toContain('[ERROR] Could not resolve dependencies for project');
    // Nothing half-done is left to be mistaken for a cache.
    delete process.env.FAKE_MVN_FAIL;
    await ensureKafkaJars({ rootDir: dir, pomPath, log });
    expect(await mvnCalls()).toHaveLength(2);
  });

  it('says how to get mvn when it is missing', async () => {
    process.env.PATH = '/nonexistent';
    await expect(ensureKafkaJars({ rootDir: dir, pomPath, log })).rejects.toThrow(/mvn is not on PATH/);
  });

  it('takes over a lock left by a dead process', async () => {
    await mkdir(join(dir, '.cache/kafka/0.0.1-test'), { recursive: true });
    // Above pid_max on Linux, so certainly not a live process.
    await writeFile(join(dir, '.cache/kafka/0.0.1-test/.lock'), '4194305');
    await ensureKafkaJars({ rootDir: dir, pomPath, log, lockTimeoutMs: 5000 });
    expect(await mvnCalls()).toHaveLength(1);
  });
});
