export { startKubernetesApiDouble } from './kubernetes-api-double.ts';
export type {
  KubernetesApiDouble,
  KubernetesApiDoubleOptions,
  PodRecord,
  RecordedKubernetesRequest,
  StatefulSetSeed,
} from './kubernetes-api-double.ts';
export { applyJsonPatch, applyMergePatch, type JsonPatchOperation } from './json-patch.ts';
