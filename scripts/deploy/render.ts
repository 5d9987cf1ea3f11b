// Renders a Kustomize directory with the kustomize built into kubectl (`kubectl kustomize`), or a
// standalone `kustomize build` when KUSTOMIZE names one, and parses the output into objects.
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

/** The fields every rendered Kubernetes object has; the rest is checked against its schema. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export class RenderError extends Error {
  readonly code = 'MW_K8S_RENDER';
  readonly retriable = false;
}

function kustomizeCommand(dir: string): [string, string[]] {
  const standalone = process.env.KUSTOMIZE;
  return standalone ? [standalone, ['build', dir]] : ['kubectl', ['kustomize', dir]];
}

/** `kubectl kustomize <dir>` as objects, in the order kustomize printed them. */
export function renderKustomization(dir: string): KubeObject[] {
  const [command, args] = kustomizeCommand(dir);
  let output: string;
  try {
    output = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { code, stderr } = error as NodeJS.ErrnoException & { stderr?: string };
    if (code === 'ENOENT') {
      throw new RenderError(
        `${command} not found: rendering the manifests needs kubectl ≥ 1.27 (kustomize v5) on PATH, ` +
          'or KUSTOMIZE set to a kustomize v5 binary',
        { cause: error },
      );
    }
    throw new RenderError(`${command} ${args.join(' ')} failed: ${stderr?.trim() ?? ''}`, { cause: error });
  }
  return parseManifests(output);
}

/** Parses multi-document YAML; every document must look like a Kubernetes object. */
export function parseManifests(text: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new RenderError(`invalid YAML: ${document.errors[0]?.message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    const object = value as Partial<KubeObject>;
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || !object.metadata?.name)
      throw new RenderError(`a document is not a Kubernetes object: ${JSON.stringify(value).slice(0, 120)}`);
    objects.push(object as KubeObject);
  }
  return objects;
}

/** `Kind/name` (with the namespace when set), the way problems name an object. */
export function describe(object: KubeObject): string {
  const namespace = object.metadata.namespace ? `${object.metadata.namespace}/` : '';
  return `${object.kind}/${namespace}${object.metadata.name}`;
}
