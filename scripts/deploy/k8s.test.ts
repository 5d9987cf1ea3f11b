import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPolicies } from './policy.js';
import { type KubeObject, parseManifests, renderKustomization } from './render.js';
import { validateSchemas } from './schemas.js';
import { type ServiceEnv, serviceEnv } from './service-env.js';
import { OVERLAYS_DIR, overlays, ROOT, validateOverlay } from './validate-k8s.js';

let env: ServiceEnv;
let production: KubeObject[];

beforeAll(() => {
  env = serviceEnv();
  production = renderKustomization(join(OVERLAYS_DIR, 'production'));
});

// Each case mutates a fresh copy of the rendered production overlay.
function problemsAfter(mutate: (objects: KubeObject[]) => void): string[] {
  const objects = structuredClone(production);
  mutate(objects);
  return [...validateSchemas(objects), ...checkPolicies(objects, { serviceEnv: env })];
}

function find(objects: KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} not rendered`);
  return found;
}

// biome-ignore lint/suspicious/noExplicitAny: the cases below reach into untyped rendered YAML.
type Loose = any;
const container = (objects: KubeObject[], name: string): Loose =>
  (find(objects, 'Deployment', name).spec as Loose).template.spec.containers[0];

describe('Kubernetes manifests', () => {
  it('has a dev and a production overlay', () => {
    expect(overlays().map((dir) => dir.slice(OVERLAYS_DIR.length + 1))).toEqual(['dev', 'production']);
  });

  it.each(['dev', 'production'])('the %s overlay renders and passes the schemas and policies', (name) => {
    expect(validateOverlay(join(OVERLAYS_DIR, name), env)).toEqual([]);
  });

  it('renders what the brief promises: three Deployments, two HPAs, one ScaledObject, budgets, policies', () => {
    const count = (kind: string) => production.filter((o) => o.kind === kind).length;
    expect(count('Deployment')).toBe(3);
    expect(count('Service')).toBe(3);
    expect(count('HorizontalPodAutoscaler')).toBe(2);
    expect(count('ScaledObject')).toBe(1);
    expect(count('PodDisruptionBudget')).toBe(3);
    expect(count('NetworkPolicy')).toBeGreaterThanOrEqual(4);
    expect(count('Secret')).toBe(0);
    expect(production.every((o) => o.kind === 'Namespace' || o.metadata.namespace === 'mirrorwatch')).toBe(
      true,
    );
    const secretRefs = ['ingest', 'alerts'].flatMap((name) =>
      (container(production, name).env as Loose[])
        .filter((v) => v.valueFrom?.secretKeyRef)
        .map((v) => `${v.valueFrom.secretKeyRef.name}/${v.valueFrom.secretKeyRef.key}`),
    );
    expect(secretRefs.sort()).toEqual([
      'mirrorwatch-secrets/ALERTS_TOKENS',
      'mirrorwatch-secrets/ALERT_WEBHOOK_SECRET',
      'mirrorwatch-secrets/IDENTIFIER_PEPPER',
      'mirrorwatch-secrets/WEBHOOK_SECRETS',
    ]);
  });

  it('reads the variable names from the services’ own config schemas', () => {
    expect(env.ingest?.has('WEBHOOK_SECRETS')).toBe(true);
    expect(env.matcher?.has('MATCHER_GROUP_ID')).toBe(true);
    expect(env.alerts?.has('ALERTS_TOKENS')).toBe(true);
    expect(env.matcher?.has('WEBHOOK_SECRETS')).toBe(false);
  });
});

describe('schema validation', () => {
  it('rejects a Deployment that breaks the Kubernetes schema', () => {
    const problems = problemsAfter((objects) => {
      container(objects, 'ingest').ports[0].containerPort = '8080';
    });
    expect(problems.join('\n')).toMatch(/Deployment\/mirrorwatch\/ingest: .*containerPort must be integer/);
  });

  it("rejects a ScaledObject that breaks KEDA's CRD schema", () => {
    const problems = problemsAfter((objects) => {
      (find(objects, 'ScaledObject', 'matcher').spec as Loose).triggers[0].metadata.lagThreshold = 1000;
    });
    expect(problems.join('\n')).toMatch(/ScaledObject\/mirrorwatch\/matcher: .*lagThreshold must be string/);
  });

  it('refuses a kind it has no schema for', () => {
    const objects = parseManifests('apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n');
    expect(validateSchemas(objects)).toEqual(['Widget/w: no schema for example.com/v1 Widget']);
  });
});

describe('policies fail when a Deployment', () => {
  const cases: Array<[string, (objects: KubeObject[]) => void, RegExp]> = [
    [
      'lacks a liveness probe',
      (o) => delete container(o, 'ingest').livenessProbe,
      /ingest: needs a livenessProbe/,
    ],
    [
      'probes readiness on the wrong path',
      (o) => {
        container(o, 'alerts').readinessProbe.httpGet.path = '/healthz';
      },
      /alerts: needs a readinessProbe on GET \/readyz/,
    ],
    [
      'runs the matcher without its node flags',
      (o) => {
        const c = container(o, 'matcher');
        c.env = c.env.filter((v: Loose) => v.name !== 'NODE_OPTIONS');
      },
      /matcher: env NODE_OPTIONS must be "--max-semi-space-size=64" .*, not ""/,
    ],
    [
      'gives a service node flags that are not its own',
      (o) => {
        container(o, 'ingest').env.push({ name: 'NODE_OPTIONS', value: '--max-old-space-size=100' });
      },
      /ingest: env NODE_OPTIONS must be "" .*, not "--max-old-space-size=100"/,
    ],
    [
      'lacks a memory limit',
      (o) => delete container(o, 'matcher').resources.limits.memory,
      /matcher: needs resources.limits.memory/,
    ],
    [
      'may run as root',
      (o) => {
        const c = container(o, 'ingest');
        c.securityContext.runAsNonRoot = false;
        c.securityContext.runAsUser = 0;
      },
      /must set runAsNonRoot: true[\s\S]*numeric non-root runAsUser/,
    ],
    [
      'has a writable root filesystem',
      (o) => delete container(o, 'alerts').securityContext.readOnlyRootFilesystem,
      /alerts: must set readOnlyRootFilesystem: true/,
    ],
    [
      'keeps its capabilities',
      (o) => {
        container(o, 'ingest').securityContext.capabilities.drop = ['NET_RAW'];
      },
      /must drop ALL capabilities/,
    ],
    [
      'may escalate privileges',
      (o) => delete container(o, 'ingest').securityContext.allowPrivilegeEscalation,
      /must set allowPrivilegeEscalation: false/,
    ],
    [
      'has a secret value inline',
      (o) => {
        const variable = container(o, 'ingest').env.find((v: Loose) => v.name === 'IDENTIFIER_PEPPER');
        delete variable.valueFrom;
        variable.value = 'a-pepper-that-somebody-committed-000000';
      },
      /env IDENTIFIER_PEPPER is a secret and must come from a secretKeyRef/,
    ],
    [
      'has a password in a URL',
      (o) => {
        container(o, 'matcher').env.push({ name: 'REDIS_URL', value: 'redis://:hunter2@redis:6379' });
      },
      /env REDIS_URL holds a password/,
    ],
    [
      'sets a variable its service does not read',
      (o) => {
        container(o, 'ingest').env.push({
          name: 'WEBHOOK_SECRET',
          valueFrom: { secretKeyRef: { name: 'x', key: 'y' } },
        });
      },
      /env WEBHOOK_SECRET is not a variable ingest reads[\s\S]*reads Secret x, not mirrorwatch-secrets/,
    ],
    [
      'sets, through its ConfigMap, a variable of another service',
      (o) => {
        const configMap = o.find(
          (x) => x.kind === 'ConfigMap' && x.metadata.name.startsWith('mirrorwatch-ingest'),
        );
        (configMap as Loose).data.MATCHER_CHUNK_SIZE = '100';
      },
      /ConfigMap mirrorwatch-ingest-\w+ sets MATCHER_CHUNK_SIZE, which ingest does not read/,
    ],
    [
      'uses the latest image',
      (o) => {
        container(o, 'alerts').image = 'registry.example.com/mirrorwatch/alerts:latest';
      },
      /image ".*alerts:latest" must be pinned/,
    ],
    [
      'sets replicas that its autoscaler owns',
      (o) => {
        (find(o, 'Deployment', 'ingest').spec as Loose).replicas = 3;
      },
      /ingest: sets replicas although HorizontalPodAutoscaler\/mirrorwatch\/ingest owns them/,
    ],
    [
      'has no disruption budget',
      (o) => o.splice(o.indexOf(find(o, 'PodDisruptionBudget', 'matcher')), 1),
      /matcher: has no PodDisruptionBudget/,
    ],
    [
      'lacks the Prometheus annotations',
      (o) => {
        (find(o, 'Deployment', 'alerts').spec as Loose).template.metadata.annotations = {};
      },
      /alerts: pod template needs prometheus.io\/scrape/,
    ],
  ];
  it.each(cases)('%s', (_name, mutate, expected) => {
    expect(problemsAfter(mutate).join('\n')).toMatch(expected);
  });
});

describe('policies fail when the cluster-wide objects', () => {
  const cases: Array<[string, (objects: KubeObject[]) => void, RegExp]> = [
    [
      'let the matcher scale past the partitions of its topic',
      (o) => {
        (find(o, 'ScaledObject', 'matcher').spec as Loose).maxReplicaCount = 12;
      },
      /maxReplicaCount 12 exceeds the 6 partitions of mirrorwatch.account-events.v1/,
    ],
    [
      'watch another consumer group',
      (o) => {
        (find(o, 'ScaledObject', 'matcher').spec as Loose).triggers[0].metadata.consumerGroup = 'matcher';
      },
      /consumerGroup matcher is not the matcher's mirrorwatch-matcher/,
    ],
    [
      'point KEDA at other brokers than the matcher',
      (o) => {
        (find(o, 'ScaledObject', 'matcher').spec as Loose).triggers[0].metadata.bootstrapServers =
          'kafka:9092';
      },
      /bootstrapServers must equal the matcher's KAFKA_BROKERS/,
    ],
    [
      'leave ingest without an HPA',
      (o) => o.splice(o.indexOf(find(o, 'HorizontalPodAutoscaler', 'ingest')), 1),
      /ingest: has no HorizontalPodAutoscaler or ScaledObject/,
    ],
    [
      'include a Secret',
      (o) => o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mirrorwatch-secrets' } }),
      /Secret\/mirrorwatch-secrets: Secrets are created by the operator/,
    ],
    [
      'put a token in a ConfigMap',
      (o) => {
        const configMap = o.find(
          (x) => x.kind === 'ConfigMap' && x.metadata.name.startsWith('mirrorwatch-alerts'),
        );
        (configMap as Loose).data.ALERTS_TOKENS = 'admin:admin:s3cret';
      },
      /ALERTS_TOKENS is a secret; keep it in the Secret/,
    ],
    [
      'drop the default deny',
      (o) => o.splice(o.indexOf(find(o, 'NetworkPolicy', 'default-deny')), 1),
      /needs a default deny of all ingress and egress/,
    ],
    [
      'open no egress to Redis',
      (o) => {
        const egress = (find(o, 'NetworkPolicy', 'egress-dns-kafka-redis').spec as Loose).egress;
        egress[1].ports = egress[1].ports.filter((p: Loose) => p.port !== 6379);
      },
      /ingest: no egress to Redis \(port 6379\)/,
    ],
  ];
  it.each(cases)('%s', (_name, mutate, expected) => {
    expect(problemsAfter(mutate).join('\n')).toMatch(expected);
  });
});

it('keeps no secret value anywhere under k8s/', async () => {
  const { readFileSync, readdirSync } = await import('node:fs');
  const files = readdirSync(join(ROOT, 'k8s'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
  expect(files.length).toBeGreaterThan(5);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    expect(text, file).not.toMatch(/^kind:\s*Secret\b|secretGenerator|stringData:/m);
  }
});
