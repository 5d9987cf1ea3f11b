import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repo root is the directory holding turbo.json; walking up works from src/ and dist/ alike. */
export function findRepoRoot(startDir: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = startDir;
  for (;;) {
    if (existsSync(join(dir, 'turbo.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`could not find the repo root (a directory with turbo.json) above ${startDir}`);
    dir = parent;
  }
}

/** packages/local-stack/, where kafka/pom.xml lives. */
export function packageDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..');
}
