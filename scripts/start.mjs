#!/usr/bin/env node
// `npm start`: installs npm dependencies when missing, then runs the dev orchestrator
// (scripts/dev.ts) that brings up Kafka, Redis and every service. Plain JavaScript with no
// dependencies, because it runs before anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stderr.write(`[start] ${line}\n`);

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  say(`Node.js >= 20.19 is required (this is ${process.versions.node}).`);
  process.exit(1);
}

// node_modules/.package-lock.json is written by every npm install; older than the lock file
// means dependencies changed since the last install.
const installed = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
if (!existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs)) {
  // `npm install` honours the lock file; `npm ci` rejects the lock files this npm writes.
  say('installing npm dependencies (npm install)…');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    say('npm install failed; see the output above.');
    process.exit(result.status ?? 1);
  }
}

// The orchestrator runs in its own process group so that a terminal's Ctrl-C reaches it once,
// through us, and it can shut everything down in order. The IPC channel lets it notice if we die.
const child = spawn(
  process.execPath,
  ['--conditions=source', '--import', 'tsx', join(root, 'scripts', 'dev.ts'), ...process.argv.slice(2)],
  { cwd: root, stdio: ['inherit', 'inherit', 'inherit', 'ipc'], detached: true },
);

let signals = 0;
const forward = () => {
  signals += 1;
  if (signals === 1) {
    child.kill('SIGINT');
  } else {
    say('second interrupt: forcing shutdown');
    child.kill('SIGTERM');
  }
};
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
