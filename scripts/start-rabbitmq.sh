#!/usr/bin/env bash
# Starts a RabbitMQ broker on loopback for the STOMP tests (test/main/core/stomp-rabbitmq.test.ts), or
# reuses the one already answering. RabbitMQ stands in for a Spring backend's STOMP relay: the desktop
# core's STOMP client is proven against a real broker, not only against a peer we wrote ourselves.
#
#   scripts/start-rabbitmq.sh          start (or reuse) and wait until Web-STOMP answers; exit 0 when it does
#   scripts/start-rabbitmq.sh --stop   stop the node this script starts (rabbit@localhost)
#
# Works as root without systemd (CI containers): the Debian wrapper in /usr/sbin drops to the rabbitmq
# user itself. Everything listens on 127.0.0.1 only, and the STOMP plugins log a connection without
# login/passcode in as guest (which RabbitMQ only admits from loopback): our client authenticates with
# a bearer token, which RabbitMQ ignores, as a Spring backend's interceptor would not.
set -euo pipefail

export RABBITMQ_NODENAME=rabbit@localhost
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
# epmd and Erlang distribution default to every interface; keep them on loopback too.
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
# A private config file rather than /etc/rabbitmq/rabbitmq.conf: a developer's own broker setup is left alone.
conf_dir=/tmp/signoff-rabbitmq
export RABBITMQ_CONFIG_FILE="$conf_dir/rabbitmq"
WEB_STOMP_PORT=15674
STOMP_PORT=61613
WAIT_SECONDS=${SIGNOFF_RABBITMQ_WAIT_SECONDS:-90}

say() { echo "start-rabbitmq: $*"; }

# Web-STOMP answers an HTTP request on /ws (with an upgrade error, which is fine: it is alive).
# A subshell, so the descriptor and bash's "connection refused" message stay in there.
web_stomp_answers() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$WEB_STOMP_PORT" || exit 1
    printf 'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
    IFS= read -r -t 5 line <&3 || exit 1
    [[ "$line" == HTTP/1.* ]]
  ) 2>/dev/null
}

if [[ "${1:-}" == --stop ]]; then
  rabbitmqctl -n "$RABBITMQ_NODENAME" stop >/dev/null 2>&1 && say "stopped" || say "not running"
  exit 0
fi

if web_stomp_answers; then
  say "reusing the broker answering on 127.0.0.1:$WEB_STOMP_PORT"
  exit 0
fi

if ! command -v rabbitmq-server >/dev/null; then
  say "rabbitmq-server is not installed (scripts/install-system-packages.sh installs it)" >&2
  exit 1
fi

mkdir -p "$conf_dir"
cat >"$conf_dir/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:5672
stomp.listeners.tcp.1 = 127.0.0.1:$STOMP_PORT
web_stomp.tcp.ip = 127.0.0.1
web_stomp.tcp.port = $WEB_STOMP_PORT
stomp.default_user = guest
stomp.default_pass = guest
EOF
chmod 755 "$conf_dir"
chmod 644 "$conf_dir/rabbitmq.conf"

rabbitmq-plugins enable --offline rabbitmq_web_stomp >/dev/null
if rabbitmqctl -n "$RABBITMQ_NODENAME" status >/dev/null 2>&1; then
  # The node runs but Web-STOMP does not answer yet: it may be booting, or its app was stopped.
  say "node $RABBITMQ_NODENAME is running; starting its app"
  rabbitmqctl -n "$RABBITMQ_NODENAME" start_app >/dev/null 2>&1 || true
else
  say "starting $RABBITMQ_NODENAME on 127.0.0.1"
  rabbitmq-server -detached
fi

for ((i = 0; i < WAIT_SECONDS * 2; i += 1)); do
  if web_stomp_answers; then
    say "Web-STOMP answers on ws://127.0.0.1:$WEB_STOMP_PORT/ws"
    exit 0
  fi
  sleep 0.5
done
say "Web-STOMP did not answer within ${WAIT_SECONDS}s; see /var/log/rabbitmq/" >&2
exit 1
