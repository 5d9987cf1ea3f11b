import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { defaultPomPath, readKafkaVersion } from './jars.js';
import { generateClusterId, renderLog4jProperties, renderServerProperties } from './kafka.js';

function parseProperties(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const eq = line.indexOf('=');
      return [line.slice(0, eq), line.slice(eq + 1)] as const;
    });
  return new Map(entries);
}

describe('generateClusterId', () => {
  it("never starts with '-', which kafka-storage would read as an option", () => {
    // 0xf8 encodes to '-' as the first base64url character.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x10)];
    const id = generateClusterId(() => draws.shift() ?? Buffer.alloc(16));
    expect(id.startsWith('-')).toBe(false);
    expect(Buffer.from(id, 'base64url')).toEqual(Buffer.alloc(16, 0x10));
    expect(Buffer.alloc(16, 0xf8).toString('base64url').startsWith('-')).toBe(true);
  });

  it('is 16 random bytes as unpadded base64url (22 chars)', () => {
    const id = generateClusterId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
  });

  it('differs between calls', () => {
    const ids = new Set(Array.from({ length: 50 }, generateClusterId));
    expect(ids.size).toBe(50);
  });
});

describe('renderServerProperties', () => {
  const props = parseProperties(
    renderServerProperties({ brokerPort: 19092, controllerPort: 19093, logDir: '/tmp/x/kafka/data' }),
  );

  it('runs one combined KRaft node on loopback', () => {
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('node.id')).toBe('1');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:19093');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:19092');
    expect(props.get('controller.listener.names')).toBe('CONTROLLER');
    expect(props.get('log.dirs')).toBe('/tmp/x/kafka/data');
  });

  it('sets every replication factor and min.isr to 1, as a single node requires', () => {
    for (const key of [
      'offsets.topic.replication.factor',
      'transaction.state.log.replication.factor',
      'transaction.state.log.min.isr',
      'default.replication.factor',
      'min.insync.replicas',
    ]) {
      expect(props.get(key), key).toBe('1');
    }
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect(props.get('auto.create.topics.enable')).toBe('false');
  });

  it('escapes backslashes in paths (java.util.Properties syntax)', () => {
    const text = renderServerProperties({ brokerPort: 1, controllerPort: 2, logDir: 'C:\\kafka\\data' });
    expect(text).toContain('log.dirs=C:\\\\kafka\\\\data\n');
  });
});

describe('renderLog4jProperties', () => {
  it('sends Kafka logs to a file', () => {
    const props = parseProperties(renderLog4jProperties('/data/kafka/server.log'));
    expect(props.get('log4j.rootLogger')).toBe('INFO, file');
    expect(props.get('log4j.appender.file')).toBe('org.apache.log4j.FileAppender');
    expect(props.get('log4j.appender.file.File')).toBe('/data/kafka/server.log');
  });
});

describe('kafka/pom.xml', () => {
  it('pins a Kafka 3.9.x release', async () => {
    expect(readKafkaVersion(await readFile(defaultPomPath(), 'utf8'))).toMatch(/^3\.9\.\d+$/);
  });

  it('rejects a pom without the version property', () => {
    expect(() => readKafkaVersion('<project/>')).toThrow(/kafka\.version/);
  });
});
