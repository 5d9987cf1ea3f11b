/**
 * The flags each service's `node` runs with, wherever it is started: the service's `start` and
 * `dev` scripts, `npm start` (scripts/dev.ts), the tests and benches that run a service (or, for
 * the matcher bench, its handler) as their own process, and NODE_OPTIONS in docker-compose.yml and
 * the Kubernetes manifests (the image's CMD is the same for every service). The written-out copies
 * are kept equal to this by `scripts/deploy/node-flags.test.ts` and the deploy policy.
 *
 * The matcher: `--max-semi-space-size=64` (MB; V8's cap is 16). A handler call holds a few
 * hundred events' fingerprints, blocking keys and pipelined commands across its Redis round
 * trips, so with the default young generation every scavenge copied them again and most were
 * promoted. Over the e2e scenario (9,471 events) the matcher made 98 scavenges pausing 1.13 s
 * in all; with 64 MB, 25 pausing 0.50 s (`--trace-gc-nvp`), for about 70 MB more memory.
 */
export const SERVICE_NODE_FLAGS: Readonly<Record<'ingest' | 'matcher' | 'alerts', readonly string[]>> = {
  ingest: [],
  matcher: ['--max-semi-space-size=64'],
  alerts: [],
};
