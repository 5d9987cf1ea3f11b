// Validates rendered objects against the Kubernetes JSON schemas (generated from the Kubernetes
// OpenAPI document and compiled with Ajv by kubernetes-models) and KEDA's ScaledObject against the
// schema of KEDA's CRD (@kubernetes-models/keda). A kind with no schema here is a problem, so a new
// kind cannot slip past validation unnoticed.
//
// Like kubeconform without --strict, these schemas accept fields they do not know; the policy
// checks (policy.ts) cover the fields Mirrorwatch depends on.
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { describe, type KubeObject } from './render.js';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

const MODELS: Record<string, ModelClass> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
};

/** Kinds this validator has a schema for, as `apiVersion/Kind`. */
export const KNOWN_KINDS = Object.keys(MODELS);

/** One message per object that does not satisfy its schema (or has none here). */
export function validateSchemas(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const Model = MODELS[`${object.apiVersion}/${object.kind}`];
    if (!Model) {
      problems.push(`${describe(object)}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(structuredClone(object) as never).validate();
    } catch (error) {
      problems.push(`${describe(object)}: ${(error as Error).message}`);
    }
  }
  return problems;
}
