import { createConnection, createServer, type Server } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/**
 * Asks the kernel for `count` distinct free ports. All listeners stay open until every port is known,
 * so the kernel cannot hand the same port out twice within one call. There is still the usual window
 * between closing and the real server binding; callers surface a bind failure through the log tail.
 */
export async function pickFreePorts(count: number, host = LOOPBACK): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      ports.push(await listenOnEphemeralPort(server, host));
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

export async function pickFreePort(host = LOOPBACK): Promise<number> {
  const [port] = await pickFreePorts(1, host);
  return port!;
}

function listenOnEphemeralPort(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error(`unexpected listen address ${String(address)}`));
        return;
      }
      resolve(address.port);
    });
  });
}

/** Resolves with the connect error (or undefined when a TCP connection could be opened). */
export function tryConnect(host: string, port: number, timeoutMs = 1000): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const finish = (err?: Error) => {
      socket.destroy();
      resolve(err);
    };
    socket.setTimeout(timeoutMs, () =>
      finish(new Error(`connect to ${host}:${port} timed out after ${timeoutMs} ms`)),
    );
    socket.once('connect', () => finish());
    socket.once('error', (err) => finish(err));
  });
}

export async function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return (await tryConnect(host, port, timeoutMs)) === undefined;
}

export interface HostPort {
  host: string;
  port: number;
}

/** Parses "host:port", "[v6]:port" or a bare host (with `defaultPort`). */
export function parseHostPort(value: string, defaultPort?: number): HostPort {
  const trimmed = value.trim();
  const match = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(trimmed);
  const host = match?.[1] ?? match?.[2];
  const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
  if (host === undefined || port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`invalid host:port "${value}"`);
  }
  return { host, port };
}
