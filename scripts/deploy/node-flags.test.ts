import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_NODE_FLAGS, serviceSourceArgs } from '@mirrorwatch/config';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The copies of SERVICE_NODE_FLAGS written out where no code can import it. The Kubernetes
// manifests are checked by the deploy policy (policy.ts) instead.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const services = Object.keys(SERVICE_NODE_FLAGS) as Array<keyof typeof SERVICE_NODE_FLAGS>;

describe.each(services)('the node flags of %s', (service) => {
  const flags = SERVICE_NODE_FLAGS[service];

  it('are in its start and dev scripts', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'services', service, 'package.json'), 'utf8'));
    expect(scripts.start).toBe(['node', ...flags, 'dist/main.js'].join(' '));
    expect(scripts.dev).toBe(['node', ...flags, '--conditions=source --import tsx src/main.ts'].join(' '));
  });

  it('lead the command that runs it from source, which names its main.ts', () => {
    const args = serviceSourceArgs(service, ROOT);
    expect(args.slice(0, flags.length)).toEqual(flags);
    expect(args.at(-1)).toBe(join(ROOT, 'services', service, 'src', 'main.ts'));
    expect(existsSync(args.at(-1) ?? '')).toBe(true);
  });

  it('are its NODE_OPTIONS in docker-compose.yml', () => {
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
    expect(compose.services[service].environment.NODE_OPTIONS ?? '').toBe(flags.join(' '));
  });
});
