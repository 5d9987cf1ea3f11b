import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintDockerfile, parseDockerfile } from './dockerfile.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');

/** The real Dockerfile with one piece replaced; fails loudly if the piece is no longer there. */
function variant(from: string | RegExp, to: string): string {
  const changed = dockerfile.replace(from, to);
  if (changed === dockerfile) throw new Error(`the Dockerfile no longer contains ${from}`);
  return changed;
}

describe('Dockerfile', () => {
  it('passes the structural lint', () => {
    expect(lintDockerfile(dockerfile)).toEqual([]);
  });

  it('parses stages, continuation lines and the final stage', () => {
    const { globalArgs, stages } = parseDockerfile(dockerfile);
    expect(globalArgs.map((a) => a.args)).toEqual(['NODE_IMAGE=node:20-bookworm-slim']);
    expect(stages.map((s) => s.name)).toEqual(['build', undefined]);
    const build = stages[0]!.instructions.find((i) => i.keyword === 'RUN')!;
    expect(build.args).toMatch(/npm install .*&& npm run build .*&& npm prune --omit=dev/);
  });

  const cases: Array<[string, string | RegExp, string, RegExp]> = [
    [
      'is a single stage',
      /FROM \$\{NODE_IMAGE\} AS build[\s\S]*?# Runtime:/,
      '# Runtime:',
      /must be multi-stage/,
    ],
    ['runs as root', 'USER 1000:1000', 'USER root', /USER root is root/],
    ['has no USER', 'USER 1000:1000', '', /needs a USER/],
    ['names its user instead of a uid', 'USER 1000:1000', 'USER node', /should be numeric/],
    [
      'installs dev dependencies in the final stage',
      'RUN ln -s',
      'RUN npm install && ln -s',
      /final stage: installs dependencies including development ones/,
    ],
    [
      'never prunes the dev dependencies',
      / \\\n && npm prune --omit=dev --no-audit --no-fund/,
      '',
      /stage build: node_modules must be pruned to production/,
    ],
    [
      'lets the runtime user own its code',
      '--chown=root:root /app/services',
      '--chown=node:node /app/services',
      /gives the runtime user ownership of the code/,
    ],
    ['has no HEALTHCHECK', /HEALTHCHECK[^\n]*\\\n[^\n]*\n/, '', /needs a HEALTHCHECK/],
    ['takes no SERVICE', /ARG SERVICE\n/, '', /needs ARG SERVICE/],
    [
      'runs from latest',
      'NODE_IMAGE=node:20-bookworm-slim',
      'NODE_IMAGE=node:latest',
      /pin a tag other than latest/,
    ],
    [
      'bakes a secret in',
      'ENV NODE_ENV=production',
      'ENV IDENTIFIER_PEPPER=x NODE_ENV=production',
      /ENV IDENTIFIER_PEPPER .* bakes a secret into the image/,
    ],
  ];
  it.each(cases)('fails the lint when it %s', (_name, from, to, expected) => {
    expect(lintDockerfile(variant(from, to)).join('\n')).toMatch(expected);
  });
});

describe('docker-compose.yml', () => {
  it('builds each service from the Dockerfile with its own SERVICE and port', () => {
    for (const [service, port] of [
      ['ingest', 8080],
      ['matcher', 8081],
      ['alerts', 8082],
    ] as const) {
      expect(compose).toContain(`args: { SERVICE: ${service} }`);
      expect(compose).toMatch(new RegExp(`${service}:[\\s\\S]*?PORT: ${port}`));
    }
  });

  it('runs the services the way Kubernetes does: read-only root, no capabilities, no privilege gain', () => {
    expect(compose).toMatch(/read_only: true/);
    expect(compose).toMatch(/cap_drop: \[ALL\]/);
    expect(compose).toMatch(/no-new-privileges:true/);
  });
});
