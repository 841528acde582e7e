#!/usr/bin/env bash
# Runs a two-node cluster of the reference backend on this machine (docs/cluster.md): PostgreSQL and
# RabbitMQ on loopback (scripts/start-postgres.sh and scripts/start-rabbitmq.sh start or reuse them),
# then two stub processes on one PostgreSQL database, each publishing its commits to the broker and
# pushing the other's to its own clients.
#
#   scripts/cluster.sh                    nodes on 127.0.0.1:8787 and :8788, database signoff_cluster
#   scripts/cluster.sh --ports 9001,9002  other ports; any further flags go to both nodes
#   SIGNOFF_CLUSTER_DB=<file or URL>      another store: a postgres:// URL, or one SQLite file on this machine
#
# Point clients at either node, or at a load balancer in front of both. Ctrl-C stops both nodes (the
# broker keeps running; `scripts/start-rabbitmq.sh --stop` stops it).
set -euo pipefail
cd "$(dirname "$0")/.."

ports=8787,8788
if [[ "${1:-}" == --ports ]]; then
  ports=$2
  shift 2
fi
IFS=, read -r port_a port_b <<<"$ports"
broker=${SIGNOFF_STUB_BROKER:-amqp://guest:guest@127.0.0.1:5672}

db=${SIGNOFF_CLUSTER_DB:-$(scripts/start-postgres.sh --database signoff_cluster)}
scripts/start-rabbitmq.sh
node scripts/build.mjs --only stub

pids=()
stop() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait
}
trap stop EXIT INT TERM

# The first node creates and migrates the store; the second starts once the first listens.
node dist/server-stub/server-cli.js --port "$port_a" --db "$db" --broker "$broker" --quiet "$@" &
pids+=($!)
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port_a") 2>/dev/null && break
  sleep 0.1
done
node dist/server-stub/server-cli.js --port "$port_b" --db "$db" --broker "$broker" --quiet "$@" &
pids+=($!)
echo "cluster: node A http://127.0.0.1:$port_a, node B http://127.0.0.1:$port_b, database ${db/:signoff@/:***@}, broker $broker"
wait
