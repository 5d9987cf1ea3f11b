import { join } from 'node:path';

export type ServiceName = 'ingest' | 'matcher' | 'alerts';

/**
 * The flags each service's `node` runs with, wherever it is started: the service's `start` and
 * `dev` scripts; `npm start` and the tests and benches that run a service as its own process
 * (through `serviceSourceArgs`); the matcher bench, which runs the matcher's handler; and
 * NODE_OPTIONS in docker-compose.yml and the Kubernetes manifests (the image's CMD is the same for
 * every service). `scripts/deploy/node-flags.test.ts` and the deploy policy keep the written-out
 * copies equal to this.
 *
 * The matcher: `--max-semi-space-size=64` (MB; V8's cap is 16). A handler call holds a few
 * hundred events' fingerprints, blocking keys and pipelined commands across its Redis round
 * trips, so with the default young generation every scavenge copied them again and most were
 * promoted. Over the e2e scenario (9,471 events) the matcher made 98 scavenges pausing 1.13 s
 * in all; with 64 MB, 25 pausing 0.50 s (`--trace-gc-nvp`), for about 70 MB more memory.
 */
export const SERVICE_NODE_FLAGS: Readonly<Record<ServiceName, readonly string[]>> = {
  ingest: [],
  matcher: ['--max-semi-space-size=64'],
  alerts: [],
};

/**
 * The arguments for `node` that run a service from its TypeScript source, with its flags: for
 * `npm start` and for the tests and benches that run a service as its own process.
 */
export function serviceSourceArgs(service: ServiceName, root: string): string[] {
  return [
    ...SERVICE_NODE_FLAGS[service],
    '--conditions=source',
    '--import',
    'tsx',
    join(root, 'services', service, 'src', 'main.ts'),
  ];
}
