import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { elapsedSince, type StackLogger, stderrLogger } from './log.js';
import { isProcessAlive, runToCompletion } from './process.js';
import { findRepoRoot, packageDir } from './root.js';

export interface KafkaJars {
  /** Apache Kafka version, read from kafka/pom.xml. */
  version: string;
  libsDir: string;
  /** `<libsDir>/*`: the JVM expands the wildcard itself, so no shell is involved. */
  classpath: string;
}

export interface EnsureKafkaJarsOptions {
  /** Repo root; the cache lives in `<rootDir>/.cache/kafka/<version>/libs`. */
  rootDir?: string;
  pomPath?: string;
  log?: StackLogger;
  /** How long to wait for another process that is resolving the same jars. Default 15 min. */
  lockTimeoutMs?: number;
}

interface Marker {
  pomSha256: string;
  jars: number;
  resolvedAt: string;
}

export function defaultPomPath(): string {
  return join(packageDir(), 'kafka', 'pom.xml');
}

export function readKafkaVersion(pomXml: string): string {
  const match = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pomXml);
  if (match?.[1] === undefined) throw new Error('kafka/pom.xml has no <kafka.version> property');
  return match[1];
}

/**
 * Makes sure the jars of a real Kafka broker are in the repo cache, resolving them from Maven Central
 * with `mvn` the first time. A marker written after the copy (holding the pom's hash) makes later runs
 * a no-op and makes a half-finished copy, or an edited pom, count as missing.
 */
export async function ensureKafkaJars(options: EnsureKafkaJarsOptions = {}): Promise<KafkaJars> {
  const log = options.log ?? stderrLogger;
  const rootDir = options.rootDir ?? findRepoRoot();
  const pomPath = options.pomPath ?? defaultPomPath();
  const pom = await readFile(pomPath, 'utf8');
  const version = readKafkaVersion(pom);
  const pomSha256 = createHash('sha256').update(pom).digest('hex');

  const versionDir = join(rootDir, '.cache', 'kafka', version);
  const libsDir = join(versionDir, 'libs');
  const markerPath = join(versionDir, 'libs.complete.json');
  const jars: KafkaJars = { version, libsDir, classpath: join(libsDir, '*') };
  const kafkaJar = join(libsDir, `kafka_2.13-${version}.jar`);
  if (await isComplete(markerPath, pomSha256, kafkaJar)) return jars;

  await mkdir(versionDir, { recursive: true });
  await withLockFile(join(versionDir, '.lock'), options.lockTimeoutMs ?? 15 * 60_000, log, async () => {
    // Another process may have finished the copy while we waited for the lock.
    if (await isComplete(markerPath, pomSha256, kafkaJar)) return;

    log.info('resolving Kafka jars from Maven Central (first run only)…');
    const startedAt = performance.now();
    // Copy into a staging dir and rename, so `libs/` never holds a partial or mixed set of jars.
    const stagingDir = join(versionDir, `libs.staging-${process.pid}`);
    const mvnLog = join(versionDir, 'mvn.log');
    await rm(stagingDir, { recursive: true, force: true });
    await rm(mvnLog, { force: true });
    try {
      await runMaven(pomPath, stagingDir, mvnLog);
      const files = (await readdir(stagingDir)).filter((f) => f.endsWith('.jar'));
      if (!files.includes(`kafka_2.13-${version}.jar`)) {
        throw new Error(
          `mvn finished but kafka_2.13-${version}.jar is not among the ${files.length} jars in ${stagingDir}`,
        );
      }
      await rm(libsDir, { recursive: true, force: true });
      await rename(stagingDir, libsDir);
      const marker: Marker = { pomSha256, jars: files.length, resolvedAt: new Date().toISOString() };
      await writeFile(markerPath, `${JSON.stringify(marker, null, 2)}\n`);
      log.info(`resolved ${files.length} Kafka ${version} jars in ${elapsedSince(startedAt)} (${libsDir})`);
    } finally {
      await rm(stagingDir, { recursive: true, force: true });
    }
  });
  return jars;
}

async function runMaven(pomPath: string, outputDir: string, logFile: string): Promise<void> {
  try {
    await runToCompletion({
      what: 'mvn dependency:copy-dependencies (resolving Kafka jars)',
      name: 'mvn',
      command: 'mvn',
      args: [
        '-B',
        '-q',
        '-Dstyle.color=never',
        '-f',
        pomPath,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${outputDir}`,
      ],
      logFile,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        'mvn is not on PATH; the local Kafka broker is resolved from Maven Central with it ' +
          '(Debian/Ubuntu: apt-get install -y maven openjdk-17-jdk-headless)',
      );
    }
    throw err;
  }
}

/** The marker matches this pom, and libs/ was not deleted behind its back. */
async function isComplete(markerPath: string, pomSha256: string, kafkaJar: string): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(markerPath, 'utf8')) as Partial<Marker>;
    return marker.pomSha256 === pomSha256 && (await stat(kafkaJar)).isFile();
  } catch {
    return false;
  }
}

/**
 * A cross-process lock (O_EXCL lock file holding the owner's pid), so two test runs starting at
 * once do not both run mvn into the same cache. A lock whose owner is dead is taken over.
 */
async function withLockFile(
  lockPath: string,
  timeoutMs: number,
  log: StackLogger,
  fn: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (await isStaleLock(lockPath)) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockPath} (held by another process)`);
    if (!announced) {
      log.info('another process is resolving the Kafka jars; waiting for it…');
      announced = true;
    }
    await sleep(500);
  }
  try {
    await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function isStaleLock(lockPath: string): Promise<boolean> {
  try {
    const owner = Number((await readFile(lockPath, 'utf8')).trim());
    if (Number.isInteger(owner) && owner > 0) return !isProcessAlive(owner);
    // Empty: the owner is between creating and writing it, unless that was long ago (it crashed).
    return Date.now() - (await stat(lockPath)).mtimeMs > 30_000;
  } catch {
    // Vanished in between: not stale, just retry the open.
    return false;
  }
}
