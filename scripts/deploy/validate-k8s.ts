// Renders every Kustomize overlay under k8s/overlays and checks it against the Kubernetes and KEDA
// schemas and Mirrorwatch's policies. `npm run validate:k8s`; `npm test` runs the same checks.
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPolicies } from './policy.js';
import { renderKustomization } from './render.js';
import { validateSchemas } from './schemas.js';
import { serviceEnv } from './service-env.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OVERLAYS_DIR = join(ROOT, 'k8s', 'overlays');

/** The overlay directories, each a deployable rendering of k8s/base. */
export function overlays(): string[] {
  return readdirSync(OVERLAYS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(OVERLAYS_DIR, entry.name))
    .sort();
}

/** Problems of one overlay: schema violations first, then policy ones. */
export function validateOverlay(dir: string, env = serviceEnv()): string[] {
  const objects = renderKustomization(dir);
  return [...validateSchemas(objects), ...checkPolicies(objects, { serviceEnv: env })];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const env = serviceEnv();
  let failed = false;
  for (const dir of overlays()) {
    const problems = validateOverlay(dir, env);
    failed ||= problems.length > 0;
    process.stdout.write(
      `${relative(ROOT, dir)}: ${problems.length === 0 ? 'ok' : `${problems.length} problem(s)`}\n`,
    );
    for (const problem of problems) process.stdout.write(`  - ${problem}\n`);
  }
  process.exitCode = failed ? 1 : 0;
}
