import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { canConnect, parseHostPort, pickFreePort, pickFreePorts } from './ports.js';

describe('pickFreePorts', () => {
  it('returns distinct ports that can be bound on loopback', async () => {
    const ports = await pickFreePorts(3);
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) {
      expect(port).toBeGreaterThan(0);
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('picks a single port', async () => {
    expect(await pickFreePort()).toBeGreaterThan(1023);
  });
});

describe('canConnect', () => {
  it('is true for a listening port and false once it is closed', async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    expect(await canConnect('127.0.0.1', address.port)).toBe(true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await canConnect('127.0.0.1', address.port)).toBe(false);
  });
});

describe('parseHostPort', () => {
  it('parses host:port, [v6]:port and bare hosts', () => {
    expect(parseHostPort('127.0.0.1:9092')).toEqual({ host: '127.0.0.1', port: 9092 });
    expect(parseHostPort(' kafka:29092 ')).toEqual({ host: 'kafka', port: 29092 });
    expect(parseHostPort('[::1]:9092')).toEqual({ host: '::1', port: 9092 });
    expect(parseHostPort('kafka', 9092)).toEqual({ host: 'kafka', port: 9092 });
  });

  it('rejects garbage', () => {
    expect(() => parseHostPort('kafka')).toThrow(/invalid/);
    expect(() => parseHostPort('kafka:0')).toThrow(/invalid/);
    expect(() => parseHostPort('kafka:99999')).toThrow(/invalid/);
    expect(() => parseHostPort('a:b:c')).toThrow(/invalid/);
  });
});
