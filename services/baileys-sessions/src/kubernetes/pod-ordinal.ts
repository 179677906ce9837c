/**
 * The StatefulSet ordinal of this pod: the `apps.kubernetes.io/pod-index` label (exposed as POD_INDEX through the
 * downward API; beta in 1.28, GA in 1.32), else the `-N` suffix of the pod name (POD_NAME or the hostname).
 * Null when neither says.
 */
export function podOrdinal(input: { podIndex?: string | undefined; podName?: string | undefined }): number | null {
  const index = input.podIndex?.trim();
  if (index && /^\d+$/.test(index)) return Number(index);
  const suffix = input.podName?.trim().match(/-(\d+)$/);
  return suffix ? Number(suffix[1]) : null;
}

/** `baileys-sessions-3`: the pod that runs slot 3. */
export function podNameOfSlot(statefulSetName: string, slot: number): string {
  return `${statefulSetName}-${slot}`;
}
