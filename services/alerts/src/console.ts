import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { ErrorBody } from '@mirrorwatch/http';
import type { FastifyPluginAsync } from 'fastify';

export interface ConsoleOptions {
  /** The console's build output (`packages/console/dist`); undefined when the package is not installed. */
  dir: string | undefined;
}

const BUILD_COMMAND = 'npm run build -w @mirrorwatch/console';

// Vite names every asset after its content hash, so assets never change; index.html always may.
const IMMUTABLE = 'public, max-age=31536000, immutable';
// The console loads only its own scripts and styles and talks only to this origin.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The moderator console's static files at `/console/`. The page itself is public; every API call
 * it makes carries the moderator's bearer token. Whether the build exists is checked per request,
 * so building the console while the service runs needs no restart.
 */
export const consoleRoutes: FastifyPluginAsync<ConsoleOptions> = async (app, { dir }) => {
  app.get('/console', (_request, reply) => reply.redirect('/console/', 301));

  const built = () => dir !== undefined && existsSync(join(dir, 'index.html'));
  if (!built()) app.log.warn({ dir }, `moderator console not built; run "${BUILD_COMMAND}"`);

  await app.register(async (files) => {
    files.addHook('onRequest', async (_request, reply) => {
      if (built()) return;
      const body: ErrorBody = {
        error: {
          code: 'MW_CONSOLE_NOT_BUILT',
          message: `the moderator console is not built; run "${BUILD_COMMAND}"`,
          retriable: true,
        },
      };
      return reply.code(503).header('retry-after', '30').send(body);
    });
    if (dir === undefined) {
      // Only there so the hook above answers; it always does, with 503.
      files.get('/console/*', async () => ({}));
      return;
    }
    await files.register(fastifyStatic, {
      // Files are looked up per request (wildcard route), so a root built later is served.
      root: dir,
      prefix: '/console/',
      wildcard: true,
      index: ['index.html'],
      cacheControl: false,
      setHeaders(response, path) {
        response.setHeader('cache-control', path.includes('/assets/') ? IMMUTABLE : 'no-cache');
        response.setHeader('content-security-policy', CSP);
        response.setHeader('x-content-type-options', 'nosniff');
        response.setHeader('referrer-policy', 'no-referrer');
      },
    });
  });
};
