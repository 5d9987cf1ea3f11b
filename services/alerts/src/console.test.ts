import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAlertsConfig } from './config.js';
import { consoleRoutes } from './console.js';

describe('moderator console files', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const app = async (dir: string | undefined) => {
    const instance = Fastify();
    await instance.register(consoleRoutes, { dir });
    return instance;
  };

  it('answers 503 naming the build command until the console is built, then serves it without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-console-'));
    dirs.push(dir);
    const server = await app(join(dir, 'dist'));
    const before = await server.inject({ method: 'GET', url: '/console/' });
    expect(before.statusCode).toBe(503);
    expect(before.json().error).toMatchObject({ code: 'MW_CONSOLE_NOT_BUILT' });
    expect(before.json().error.message).toContain('npm run build -w @mirrorwatch/console');

    mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'dist', 'assets', 'index-abc.js'), 'export {};');
    const page = await server.inject({ method: 'GET', url: '/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>console</title>');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const asset = await server.inject({ method: 'GET', url: '/console/assets/index-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    await server.close();
  });

  it('redirects /console to /console/, and answers 503 when the console is not installed', async () => {
    const server = await app(undefined);
    const redirect = await server.inject({ method: 'GET', url: '/console' });
    expect(redirect.statusCode).toBe(301);
    expect(redirect.headers.location).toBe('/console/');
    expect((await server.inject({ method: 'GET', url: '/console/' })).statusCode).toBe(503);
    await server.close();
  });

  it("finds the console package's dist by default; CONSOLE_DIR overrides it", () => {
    const base = { KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(loadAlertsConfig(base).CONSOLE_DIR).toMatch(/packages[\\/]console[\\/]dist$/);
    expect(loadAlertsConfig({ ...base, CONSOLE_DIR: '/srv/console' }).CONSOLE_DIR).toBe('/srv/console');
  });
});
