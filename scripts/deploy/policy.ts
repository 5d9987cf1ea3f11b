// Mirrorwatch's own rules for its rendered manifests, beyond what the schemas say: every container
// probed, bounded and locked down; secrets only by reference; only variables the services read;
// autoscalers, budgets and network policies that fit the Deployments and the Kafka topics.
import { SERVICE_NODE_FLAGS } from '@mirrorwatch/config';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { describe, type KubeObject } from './render.js';
import type { ServiceEnv } from './service-env.js';

/** Variables whose value is a credential: they may only come from a Secret. */
const SECRET_NAME = /SECRET|TOKEN|PEPPER|PASSWORD|CREDENTIAL/;
/** A URL with a password in it (`redis://:pw@host`) is a credential too. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]+@/i;

export const SECRET_NAME_IN_REPO = 'mirrorwatch-secrets';
export const MATCHER_TOPIC = 'mirrorwatch.account-events.v1';
export interface PolicyContext {
  /** Container name → the variables that service reads. */
  serviceEnv: ServiceEnv;
}

type Context = PolicyContext & { objects: readonly KubeObject[] };

interface Workload {
  object: KubeObject;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  pod: IPodSpec;
  replicas: number | undefined;
}

const byKind = (objects: readonly KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);
const spec = <T>(object: KubeObject) => (object.spec ?? {}) as T;

function workloads(objects: readonly KubeObject[]): Workload[] {
  return byKind(objects, 'Deployment').map((object) => {
    const deployment = spec<{
      replicas?: number;
      template?: { metadata?: KubeObject['metadata']; spec?: IPodSpec };
    }>(object);
    return {
      object,
      name: object.metadata.name,
      labels: deployment.template?.metadata?.labels ?? {},
      annotations: deployment.template?.metadata?.annotations ?? {},
      pod: deployment.template?.spec ?? { containers: [] },
      replicas: deployment.replicas,
    };
  });
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

function configMapData(objects: readonly KubeObject[], name: string): Record<string, string> | undefined {
  const found = byKind(objects, 'ConfigMap').find((o) => o.metadata.name === name);
  return found ? ((found as unknown as IConfigMap).data ?? {}) : undefined;
}

/** The value of a variable as the container would see it, where it is plain configuration. */
function plainValue(objects: readonly KubeObject[], container: IContainer, name: string): string | undefined {
  const direct = container.env?.find((variable) => variable.name === name);
  if (direct) return direct.value;
  let value: string | undefined;
  for (const source of container.envFrom ?? []) {
    const data = source.configMapRef ? configMapData(objects, source.configMapRef.name ?? '') : undefined;
    const found = data?.[`${source.prefix ?? ''}${name}`] ?? data?.[name];
    if (found !== undefined) value = found; // later sources win, as in the kubelet
  }
  return value;
}

function checkContainer(workload: Workload, container: IContainer, context: Context): string[] {
  const where = `${describe(workload.object)} container ${container.name}`;
  const problems: string[] = [];
  const pod = workload.pod.securityContext ?? {};
  const own = container.securityContext ?? {};

  if (container.livenessProbe?.httpGet?.path !== '/healthz')
    problems.push(`${where}: needs a livenessProbe on GET /healthz`);
  if (container.readinessProbe?.httpGet?.path !== '/readyz')
    problems.push(`${where}: needs a readinessProbe on GET /readyz`);
  for (const bound of ['requests', 'limits'] as const)
    for (const resource of ['cpu', 'memory'])
      if (container.resources?.[bound]?.[resource] === undefined)
        problems.push(`${where}: needs resources.${bound}.${resource}`);

  if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push(`${where}: must set runAsNonRoot: true`);
  const user = own.runAsUser ?? pod.runAsUser;
  if (user === undefined || user === 0) problems.push(`${where}: must run as a numeric non-root runAsUser`);
  if (own.allowPrivilegeEscalation !== false)
    problems.push(`${where}: must set allowPrivilegeEscalation: false`);
  if (own.readOnlyRootFilesystem !== true) problems.push(`${where}: must set readOnlyRootFilesystem: true`);
  if (!own.capabilities?.drop?.includes('ALL')) problems.push(`${where}: must drop ALL capabilities`);
  if (own.privileged === true) problems.push(`${where}: must not be privileged`);
  if ((own.seccompProfile ?? pod.seccompProfile)?.type !== 'RuntimeDefault')
    problems.push(`${where}: must use the RuntimeDefault seccomp profile`);
  if (!container.image || /:latest$/.test(container.image) || !/[:@]/.test(container.image.split('/').pop()!))
    problems.push(`${where}: image "${container.image}" must be pinned to a tag or digest other than latest`);

  const reads = context.serviceEnv[container.name];
  if (!reads) {
    problems.push(`${where}: no Mirrorwatch service is called ${container.name}`);
    return problems;
  }
  // Node reads NODE_OPTIONS itself: it carries the service's node flags, exactly.
  const nodeFlags = SERVICE_NODE_FLAGS[container.name as keyof typeof SERVICE_NODE_FLAGS]?.join(' ') ?? '';
  const nodeOptions = container.env?.find((variable) => variable.name === 'NODE_OPTIONS')?.value ?? '';
  if (nodeOptions !== nodeFlags)
    problems.push(
      `${where}: env NODE_OPTIONS must be "${nodeFlags}" (SERVICE_NODE_FLAGS in packages/config/src/node-flags.ts), not "${nodeOptions}"`,
    );
  for (const variable of container.env ?? []) {
    if (!reads.has(variable.name) && variable.name !== 'NODE_OPTIONS')
      problems.push(`${where}: env ${variable.name} is not a variable ${container.name} reads`);
    if (variable.value !== undefined && SECRET_NAME.test(variable.name))
      problems.push(`${where}: env ${variable.name} is a secret and must come from a secretKeyRef`);
    if (variable.value !== undefined && URL_WITH_PASSWORD.test(variable.value))
      problems.push(`${where}: env ${variable.name} holds a password; take it from a secretKeyRef`);
    const secretRef = variable.valueFrom?.secretKeyRef;
    if (secretRef && secretRef.name !== SECRET_NAME_IN_REPO)
      problems.push(
        `${where}: env ${variable.name} reads Secret ${secretRef.name}, not ${SECRET_NAME_IN_REPO}`,
      );
  }
  for (const source of container.envFrom ?? []) {
    if (source.secretRef)
      problems.push(
        `${where}: envFrom a Secret hides which variables it sets; use secretKeyRef per variable`,
      );
    if (!source.configMapRef) continue;
    const name = source.configMapRef.name ?? '';
    const data = configMapData(context.objects, name);
    if (!data) {
      problems.push(`${where}: envFrom ConfigMap ${name} is not among the manifests`);
      continue;
    }
    for (const key of Object.keys(data)) {
      const variable = `${source.prefix ?? ''}${key}`;
      if (!reads.has(variable))
        problems.push(`${where}: ConfigMap ${name} sets ${variable}, which ${container.name} does not read`);
    }
  }
  const port = container.ports?.find((p) => p.name === 'http')?.containerPort;
  if (port === undefined) problems.push(`${where}: needs a container port named http`);
  else if (plainValue(context.objects, container, 'PORT') !== String(port))
    problems.push(`${where}: PORT must equal the http containerPort ${port}`);
  return problems;
}

function checkWorkloads(context: Context): string[] {
  const problems: string[] = [];
  for (const workload of workloads(context.objects)) {
    const where = describe(workload.object);
    for (const container of [...(workload.pod.initContainers ?? []), ...workload.pod.containers])
      problems.push(...checkContainer(workload, container, context));
    if (workload.pod.automountServiceAccountToken !== false)
      problems.push(
        `${where}: must set automountServiceAccountToken: false (the services never call the API)`,
      );
    const port = workload.pod.containers[0]?.ports?.find((p) => p.name === 'http')?.containerPort;
    if (
      workload.annotations['prometheus.io/scrape'] !== 'true' ||
      workload.annotations['prometheus.io/path'] !== '/metrics' ||
      workload.annotations['prometheus.io/port'] !== String(port)
    )
      problems.push(`${where}: pod template needs prometheus.io/scrape, /path /metrics and /port ${port}`);
    const writable = new Set(
      workload.pod.containers.flatMap((c) => (c.volumeMounts ?? []).map((mount) => mount.name)),
    );
    for (const volume of workload.pod.volumes ?? [])
      if (writable.has(volume.name) && volume.hostPath)
        problems.push(`${where}: volume ${volume.name} mounts a host path`);
    if (workload.pod.hostNetwork || workload.pod.hostPID || workload.pod.hostIPC)
      problems.push(`${where}: must not share the host's network, PID or IPC namespace`);
  }
  return problems;
}

interface ScaleTarget {
  scaleTargetRef?: { kind?: string; name?: string };
}

function checkAutoscaling(context: Context): string[] {
  const { objects } = context;
  const problems: string[] = [];
  const deployments = new Map(workloads(objects).map((w) => [w.name, w]));
  const scaled = new Map<string, string>();
  const target = (object: KubeObject) => {
    const ref = spec<ScaleTarget>(object).scaleTargetRef;
    const workload = ref?.name ? deployments.get(ref.name) : undefined;
    if (!workload || (ref?.kind ?? 'Deployment') !== 'Deployment')
      problems.push(`${describe(object)}: scales ${ref?.kind}/${ref?.name}, which is not a Deployment here`);
    else if (scaled.has(workload.name))
      problems.push(
        `${describe(object)}: ${workload.name} is already scaled by ${scaled.get(workload.name)}`,
      );
    else scaled.set(workload.name, describe(object));
    return workload;
  };

  for (const hpa of byKind(objects, 'HorizontalPodAutoscaler')) {
    target(hpa);
    const { minReplicas, maxReplicas, metrics } = spec<{
      minReplicas?: number;
      maxReplicas: number;
      metrics?: Array<{ type: string; resource?: { name: string } }>;
    }>(hpa);
    if (!metrics?.some((m) => m.type === 'Resource' && m.resource?.name === 'cpu'))
      problems.push(`${describe(hpa)}: must scale on CPU`);
    if ((minReplicas ?? 1) > maxReplicas) problems.push(`${describe(hpa)}: minReplicas exceeds maxReplicas`);
  }

  for (const scaledObject of byKind(objects, 'ScaledObject')) {
    const where = describe(scaledObject);
    const workload = target(scaledObject);
    const so = spec<{
      minReplicaCount?: number;
      maxReplicaCount?: number;
      triggers?: Array<{ type: string; metadata?: Record<string, string> }>;
    }>(scaledObject);
    const kafka = so.triggers?.find((t) => t.type === 'kafka');
    if (!kafka?.metadata) {
      problems.push(`${where}: needs a kafka trigger`);
      continue;
    }
    const container = workload?.pod.containers[0];
    const setting = (name: string) => (container ? plainValue(objects, container, name) : undefined);
    const group = setting('MATCHER_GROUP_ID') ?? 'mirrorwatch-matcher';
    if (kafka.metadata.consumerGroup !== group)
      problems.push(`${where}: consumerGroup ${kafka.metadata.consumerGroup} is not the matcher's ${group}`);
    if (kafka.metadata.topic !== MATCHER_TOPIC) problems.push(`${where}: topic must be ${MATCHER_TOPIC}`);
    if (kafka.metadata.bootstrapServers !== setting('KAFKA_BROKERS'))
      problems.push(`${where}: bootstrapServers must equal the matcher's KAFKA_BROKERS`);
    if (!/^[1-9]\d*$/.test(kafka.metadata.lagThreshold ?? ''))
      problems.push(`${where}: lagThreshold must be a positive whole number`);
    const partitions = Number(setting('ACCOUNT_EVENTS_PARTITIONS') ?? 6);
    const max = so.maxReplicaCount ?? 100; // KEDA's default
    if (max > partitions)
      problems.push(
        `${where}: maxReplicaCount ${max} exceeds the ${partitions} partitions of ${MATCHER_TOPIC}`,
      );
    if ((so.minReplicaCount ?? 0) < 1)
      problems.push(`${where}: minReplicaCount must be at least 1 (the matcher serves /readyz and /metrics)`);
  }

  for (const workload of deployments.values()) {
    if (!scaled.has(workload.name))
      problems.push(`${describe(workload.object)}: has no HorizontalPodAutoscaler or ScaledObject`);
    else if (workload.replicas !== undefined)
      problems.push(
        `${describe(workload.object)}: sets replicas although ${scaled.get(workload.name)} owns them; ` +
          'set the autoscaler bounds instead',
      );
  }
  return problems;
}

function checkServicesAndBudgets(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  const all = workloads(objects);
  for (const service of byKind(objects, 'Service')) {
    const { selector, ports } = spec<{
      selector?: Record<string, string>;
      ports?: Array<{ targetPort?: string | number }>;
    }>(service);
    const workload = all.find((w) => selects(selector, w.labels));
    if (!workload) {
      problems.push(`${describe(service)}: selects no Deployment`);
      continue;
    }
    const named = new Set(workload.pod.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name)));
    for (const port of ports ?? [])
      if (typeof port.targetPort === 'string' && !named.has(port.targetPort))
        problems.push(
          `${describe(service)}: targetPort ${port.targetPort} is not a port of ${workload.name}`,
        );
  }
  const budgets = byKind(objects, 'PodDisruptionBudget').map(
    (pdb) => spec<{ selector?: { matchLabels?: Record<string, string> } }>(pdb).selector?.matchLabels,
  );
  for (const workload of all)
    if (!budgets.some((selector) => selects(selector, workload.labels)))
      problems.push(`${describe(workload.object)}: has no PodDisruptionBudget`);
  return problems;
}

interface PolicyRule {
  ports?: Array<{ port?: number | string }>;
  from?: unknown[];
  to?: unknown[];
}
interface NetworkPolicySpec {
  podSelector?: {
    matchLabels?: Record<string, string>;
    matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
  };
  policyTypes?: string[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

function policySelects(policy: NetworkPolicySpec, labels: Record<string, string>): boolean {
  const selector = policy.podSelector ?? {};
  const matchLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const matchExpressions = (selector.matchExpressions ?? []).every((e) => {
    const value = labels[e.key];
    if (e.operator === 'In') return value !== undefined && (e.values ?? []).includes(value);
    if (e.operator === 'NotIn') return value === undefined || !(e.values ?? []).includes(value);
    if (e.operator === 'Exists') return value !== undefined;
    return value === undefined; // DoesNotExist
  });
  return matchLabels && matchExpressions;
}

function checkNetworkPolicies(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  const policies = byKind(objects, 'NetworkPolicy').map((o) => ({
    object: o,
    spec: spec<NetworkPolicySpec>(o),
  }));
  const denyAll = policies.find(
    ({ spec: p }) =>
      Object.keys(p.podSelector?.matchLabels ?? {}).length === 0 &&
      (p.podSelector?.matchExpressions ?? []).length === 0 &&
      p.policyTypes?.includes('Ingress') &&
      p.policyTypes.includes('Egress') &&
      !p.ingress?.length &&
      !p.egress?.length,
  );
  if (!denyAll)
    problems.push('NetworkPolicy: needs a default deny of all ingress and egress (podSelector: {})');

  for (const workload of workloads(objects)) {
    const where = describe(workload.object);
    const port = workload.pod.containers[0]?.ports?.find((p) => p.name === 'http')?.containerPort;
    const applying = policies.filter(({ spec: p }) => policySelects(p, workload.labels));
    const ingressRules = applying.flatMap(({ spec: p }) => p.ingress ?? []);
    const egressRules = applying.flatMap(({ spec: p }) => p.egress ?? []);
    const opens = (rules: PolicyRule[], wanted: number | undefined) =>
      rules.filter((rule) => rule.ports?.some((p) => p.port === wanted || p.port === 'http'));
    if (opens(ingressRules, port).length === 0)
      problems.push(
        `${where}: no NetworkPolicy admits anyone to port ${port}, so /metrics cannot be scraped`,
      );
    for (const rule of ingressRules)
      if (!rule.from || rule.from.length === 0)
        problems.push(`${where}: an ingress rule admits every source; name the namespaces allowed`);
    for (const [what, wanted] of [
      ['DNS', 53],
      ['Kafka', 9092],
      ['Redis', 6379],
    ] as const)
      if (opens(egressRules, wanted).length === 0)
        problems.push(`${where}: no egress to ${what} (port ${wanted})`);
  }
  return problems;
}

function checkNoSecrets(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    if (object.kind === 'Secret')
      problems.push(`${describe(object)}: Secrets are created by the operator, never kept in the repository`);
    if (object.kind !== 'ConfigMap') continue;
    for (const [key, value] of Object.entries((object as unknown as IConfigMap).data ?? {})) {
      if (SECRET_NAME.test(key))
        problems.push(`${describe(object)}: ${key} is a secret; keep it in the Secret`);
      if (URL_WITH_PASSWORD.test(value))
        problems.push(`${describe(object)}: ${key} holds a password; keep it in the Secret`);
    }
  }
  return problems;
}

/** Every problem found in one rendered overlay; empty when it satisfies Mirrorwatch's rules. */
export function checkPolicies(objects: readonly KubeObject[], context: PolicyContext): string[] {
  const full = { ...context, objects };
  return [
    ...checkWorkloads(full),
    ...checkAutoscaling(full),
    ...checkServicesAndBudgets(objects),
    ...checkNetworkPolicies(objects),
    ...checkNoSecrets(objects),
  ];
}
