#!/usr/bin/env bash
# The check to run before production (docs/deploy.md): real daprd, placement, scheduler and Redis in a kind cluster.
# Needs Docker, kind, kubectl and helm. It cannot run on the project's development machines and has not been run.
#
#   scripts/cluster-e2e.sh            create the cluster, install Dapr + Redis + PostgreSQL, apply deploy/dapr;
#                                     then deploy the chart (once it exists) and run the scenarios (once written)
#   KEEP_CLUSTER=1 scripts/cluster-e2e.sh   leave the cluster up afterwards
set -euo pipefail

cluster="${CLUSTER_NAME:-wa-platform-e2e}"
namespace="${NAMESPACE:-wa}"
dapr_version="${DAPR_VERSION:-1.17.7}"   # the minimum this platform supports (docs/deploy.md)
root="$(cd "$(dirname "$0")/.." && pwd)"

for tool in docker kind kubectl helm; do
  command -v "$tool" >/dev/null || { echo "cluster-e2e: '$tool' is required" >&2; exit 2; }
done

cleanup() { [[ "${KEEP_CLUSTER:-}" == 1 ]] || kind delete cluster --name "$cluster"; }
trap cleanup EXIT

kind create cluster --name "$cluster" --wait 120s
kubectl create namespace "$namespace"

helm repo add dapr https://dapr.github.io/helm-charts/ >/dev/null
helm repo add bitnami https://charts.bitnami.com/bitnami >/dev/null
helm repo update >/dev/null
helm install dapr dapr/dapr --version "$dapr_version" --namespace dapr-system --create-namespace --wait
helm install redis bitnami/redis --namespace "$namespace" --set architecture=standalone --wait
helm install postgresql bitnami/postgresql --namespace "$namespace" --set auth.postgresPassword=e2e --wait

redis_password="$(kubectl get secret redis -n "$namespace" -o jsonpath='{.data.redis-password}' | base64 -d)"
kubectl create secret generic dapr-redis -n "$namespace" \
  --from-literal=host="redis-master.$namespace.svc.cluster.local:6379" --from-literal=password="$redis_password"
kubectl create secret generic dapr-actorstore -n "$namespace" \
  --from-literal=connectionString="host=postgresql.$namespace.svc.cluster.local user=postgres password=e2e dbname=postgres"
kubectl create secret generic app-api-token -n "$namespace" --from-literal=token="$(openssl rand -hex 16)"
kubectl create secret generic dapr-api-token -n "$namespace" --from-literal=token="$(openssl rand -hex 16)"
kubectl apply -n "$namespace" -f "$root/deploy/dapr/pubsub.yaml" -f "$root/deploy/dapr/statestore.yaml" \
  -f "$root/deploy/dapr/resiliency.yaml" -f "$root/deploy/dapr/configuration.yaml"

chart="$root/charts/platform"
if [[ ! -d "$chart" ]]; then
  echo "cluster-e2e: Dapr $dapr_version, Redis and PostgreSQL are up, deploy/dapr is applied." >&2
  echo "cluster-e2e: the platform's Helm chart ($chart) does not exist yet, so the platform cannot be deployed and" >&2
  echo "the scenarios (services/conversation-actors/test/dapr-scenarios.int.test.ts) cannot run against it. Stopping." >&2
  exit 3
fi

helm install platform "$chart" --namespace "$namespace" --wait
# The scenarios of services/conversation-actors/test/dapr-scenarios.int.test.ts drive the sidecar double today. Their
# cluster counterparts (kill a conversation-actors pod's daprd container, `kubectl scale` 1 → 2 → 1 under traffic,
# overflow the AI workers, `kubectl rollout restart`) are to be written with the chart; until then, stop honestly.
echo "cluster-e2e: the platform is deployed; the cluster harness of the scenario suite is not written yet." >&2
exit 3
