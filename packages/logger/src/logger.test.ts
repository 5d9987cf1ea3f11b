import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('redacts raw identifiers wherever an account is logged', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'test', destination });
    const account = {
      id: 'a1',
      handle: 'h',
      email: 'x@y.z',
      phone: '+441234',
      deviceId: 'dev',
      ip: '10.0.0.1',
    };
    log.info({ account }, 'direct');
    log.info({ event: { account } }, 'nested');
    log.info({ body: { events: [{ account }] } }, 'batch');
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toMatch(/x@y\.z|\+441234|"dev"|10\.0\.0\.1/);
      expect(line).toContain('[redacted]');
      expect(line).toContain('"handle":"h"');
    }
  });

  it('redacts bearer tokens and webhook signatures in request logs', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'test', destination });
    log.info({
      req: { headers: { authorization: 'Bearer secret', 'x-mirrorwatch-signature': 'sha256=ab' } },
    });
    expect(lines[0]).not.toContain('Bearer secret');
    expect(lines[0]).not.toContain('sha256=ab');
  });
});
