#!/usr/bin/env node
// In a checkout, runs the TypeScript sources through tsx (never a stale build); in an image
// where only the compiled output ships, runs that.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, '..', 'src', 'main.ts');
const args = existsSync(source)
  ? ['--conditions=source', '--import', 'tsx', source]
  : [join(here, '..', 'dist', 'main.js')];
const result = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
