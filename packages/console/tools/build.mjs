// Builds the moderator console when its dist is missing or older than its sources. Used by
// `npm start` and the browser test; plain JavaScript so it needs no TypeScript loader.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const consoleRoot = fileURLToPath(new URL('..', import.meta.url));
export const consoleDist = join(consoleRoot, 'dist');

// The console's own files, and the shared module it bundles from the schemas package.
const SOURCES = [
  'index.html',
  'vite.config.ts',
  'package.json',
  'src',
  'public',
  '../schemas/src/alert-filter.ts',
];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

export function consoleIsFresh() {
  const index = join(consoleDist, 'index.html');
  if (!existsSync(index)) return false;
  return statSync(index).mtimeMs >= Math.max(...SOURCES.map((source) => newest(join(consoleRoot, source))));
}

export async function ensureConsoleBuilt({ force = false, logLevel = 'warn' } = {}) {
  if (!force && consoleIsFresh()) return { dir: consoleDist, built: false };
  const { build } = await import('vite');
  await build({ root: consoleRoot, configFile: join(consoleRoot, 'vite.config.ts'), logLevel });
  return { dir: consoleDist, built: true };
}
