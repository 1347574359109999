#!/usr/bin/env bash
# Start, stop or query a DynamoDB Local server on a free loopback port.
#
# Usage: scripts/dynamodb-local.sh start|stop|status [STATE_DIR]
#
# Each server keeps its state in STATE_DIR (default: .dynamodb-local/run/default):
#   server.pid   pid of the java process
#   server.port  its port
#   server.log   its stdout/stderr
# Use a distinct STATE_DIR per server to run several at once.
#
#   start   launch in the background (-inMemory -sharedDb), wait until ListTables
#           answers, print the endpoint (http://127.0.0.1:PORT) on stdout.
#           If a server from STATE_DIR is already answering, just print its endpoint.
#   stop    stop the server recorded in STATE_DIR (TERM, then KILL) and wait
#           for it to exit. Exits 0 if none was running.
#   status  print the endpoint and exit 0 if it answers; exit 1 if the process
#           lives but does not answer; exit 3 if it is not running.
#
# Only the endpoint goes to stdout; messages go to stderr, so
#   endpoint="$(scripts/dynamodb-local.sh start "$dir")"
# works.
#
# Environment:
#   DYNAMO_LOCAL_START_TIMEOUT  seconds to wait for ListTables (default 60)
#   DYNAMO_LOCAL_JAVA_OPTS      extra JVM options (word-split)
#   DYNAMO_LOCAL_JAVA           java binary to use (must be >= 17)
#   DYNAMO_LOCAL_DIR            install directory (default <repo>/.dynamodb-local)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DDB_PROG="dynamodb-local"
# shellcheck source-path=SCRIPTDIR source=lib/dynamodb-local-common.sh
source "$SCRIPT_DIR/lib/dynamodb-local-common.sh"

usage() {
  echo "usage: $0 start|stop|status [STATE_DIR]" >&2
  exit 2
}

# Print a free TCP port on 127.0.0.1.
pick_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' && return 0
  fi
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    # A successful connect means something listens there already.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  ddb_die "could not find a free port"
}

# Absolute path of the state dir ($2, default run/default); created for start.
state_dir_arg() {
  local dir="${2:-$DDB_DIR/run/default}"
  if [[ "$1" == start ]]; then mkdir -p "$dir"; fi
  if [[ -d "$dir" ]]; then (cd "$dir" && pwd); else printf '%s\n' "$dir"; fi
}

read_pid() { [[ -f "$STATE/server.pid" ]] && head -n1 "$STATE/server.pid"; }
read_port() { [[ -f "$STATE/server.port" ]] && head -n1 "$STATE/server.port"; }

# Stop $1 (TERM, then KILL) and wait until it is gone. Callers make sure $1
# is our server (cmd_stop checks the command line; start passes its own child).
kill_and_wait() {
  local pid="$1"
  ddb_pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do # 15 s
    ddb_pid_alive "$pid" || return 0
    sleep 0.25
  done
  ddb_log "pid $pid ignored SIGTERM; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do # 10 s
    ddb_pid_alive "$pid" || return 0
    sleep 0.25
  done
  ddb_log "warning: pid $pid still alive after SIGKILL"
  return 1
}

show_log() {
  if [[ -s "$STATE/server.log" ]]; then
    ddb_log "---- $STATE/server.log ----"
    cat "$STATE/server.log" >&2
    ddb_log "---- end of log ----"
  else
    ddb_log "(server log $STATE/server.log is empty)"
  fi
}

LAUNCHED_PID=""
on_start_signal() {
  if [[ -n "$LAUNCHED_PID" ]]; then
    kill_and_wait "$LAUNCHED_PID" || true
    rm -f "$STATE/server.pid" "$STATE/server.port"
  fi
  exit 130
}

cmd_start() {
  local pid port java t0 deadline timeout
  local -a opts=()

  if pid="$(read_pid)" && ddb_pid_is_server "$pid"; then
    port="$(read_port || true)"
    if [[ -n "$port" ]] && ddb_probe "$port" && ddb_pid_listens "$pid" "$port"; then
      ddb_log "already running (pid $pid) in $STATE"
      printf 'http://127.0.0.1:%s\n' "$port"
      return 0
    fi
    ddb_die "a server (pid $pid) from $STATE is running but not answering; run: $0 stop $STATE"
  fi
  rm -f "$STATE/server.pid" "$STATE/server.port"

  [[ -f "$DDB_DIR/DynamoDBLocal.jar" && -d "$DDB_DIR/DynamoDBLocal_lib" ]] ||
    ddb_die "DynamoDB Local is not installed in $DDB_DIR; run: $SCRIPT_DIR/install-dynamodb-local.sh"
  java="$(ddb_find_java)" ||
    ddb_die "no Java >= $DDB_MIN_JAVA found; run: $SCRIPT_DIR/install-dynamodb-local.sh"
  if [[ -n "${DYNAMO_LOCAL_JAVA_OPTS:-}" ]]; then
    read -r -a opts <<<"$DYNAMO_LOCAL_JAVA_OPTS"
  fi
  timeout="${DYNAMO_LOCAL_START_TIMEOUT:-60}"

  trap on_start_signal INT TERM HUP
  for _ in 1 2 3; do
    port="$(pick_port)"
    : >"$STATE/server.log"
    t0=$SECONDS
    ddb_log "starting DynamoDB Local on 127.0.0.1:$port (state: $STATE)"
    # The subshell execs java, so $! is the java pid. cwd = state dir so any
    # stray files the server writes stay there.
    (
      cd "$STATE"
      exec "$java" "${opts[@]+"${opts[@]}"}" \
        -Djava.library.path="$DDB_DIR/DynamoDBLocal_lib" \
        -jar "$DDB_DIR/DynamoDBLocal.jar" \
        -inMemory -sharedDb -port "$port"
    ) >>"$STATE/server.log" 2>&1 </dev/null &
    LAUNCHED_PID=$!
    printf '%s\n' "$LAUNCHED_PID" >"$STATE/server.pid"
    printf '%s\n' "$port" >"$STATE/server.port"

    deadline=$((SECONDS + timeout))
    while :; do
      if ddb_probe "$port" && ddb_pid_listens "$LAUNCHED_PID" "$port"; then
        ddb_log "ready after $((SECONDS - t0)) s (pid $LAUNCHED_PID)"
        trap - INT TERM HUP
        printf 'http://127.0.0.1:%s\n' "$port"
        return 0
      fi
      if grep -qiE 'address already in use|BindException' "$STATE/server.log"; then
        kill_and_wait "$LAUNCHED_PID" || true
        rm -f "$STATE/server.pid" "$STATE/server.port"
        ddb_log "port $port was taken; retrying with another port"
        continue 2
      fi
      if ! ddb_pid_alive "$LAUNCHED_PID"; then
        rm -f "$STATE/server.pid" "$STATE/server.port"
        show_log
        ddb_die "DynamoDB Local exited before it answered"
      fi
      if ((SECONDS >= deadline)); then
        kill_and_wait "$LAUNCHED_PID" || true
        rm -f "$STATE/server.pid" "$STATE/server.port"
        show_log
        ddb_die "DynamoDB Local did not answer ListTables within $timeout s"
      fi
      sleep 0.25
    done
  done
  show_log
  ddb_die "could not start DynamoDB Local after 3 attempts"
}

cmd_stop() {
  local pid
  if ! pid="$(read_pid)"; then
    ddb_log "not running (no $STATE/server.pid)"
    return 0
  fi
  if ddb_pid_is_server "$pid"; then
    ddb_log "stopping DynamoDB Local (pid $pid)"
    kill_and_wait "$pid" || ddb_die "could not stop pid $pid"
    ddb_log "stopped"
  else
    ddb_log "not running (stale pid $pid)"
  fi
  rm -f "$STATE/server.pid" "$STATE/server.port"
}

cmd_status() {
  local pid port
  if ! pid="$(read_pid)" || ! ddb_pid_is_server "$pid"; then
    ddb_log "not running ($STATE)"
    return 3
  fi
  port="$(read_port || true)"
  if [[ -n "$port" ]] && ddb_probe "$port" && ddb_pid_listens "$pid" "$port"; then
    ddb_log "running (pid $pid)"
    printf 'http://127.0.0.1:%s\n' "$port"
    return 0
  fi
  ddb_log "pid $pid is alive but does not answer on port ${port:-?}"
  return 1
}

[[ $# -ge 1 && $# -le 2 ]] || usage
ACTION="$1"
STATE="$(state_dir_arg "$ACTION" "${2:-}")"
case "$ACTION" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) usage ;;
esac
