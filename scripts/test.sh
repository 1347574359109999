#!/usr/bin/env bash
# The project's one test command.
#
#   ./scripts/test.sh [extra cargo test args...]
#
# 1. installs DynamoDB Local (and Java 17+) if missing,
# 2. starts a private DynamoDB Local server on a free loopback port,
# 3. runs `cargo test --workspace --all-features --no-fail-fast "$@"` (every
#    test binary runs even after one fails, so a run shows every failure) with
#      DYNAMO_TEST_ENDPOINT=http://127.0.0.1:PORT
#      DYNAMO_LOCAL_DIR=<install dir>   (DynamoDBLocal.jar, DynamoDBLocal_lib/)
#      DYNAMO_LOCAL_JAVA=<java 17+ binary>
# 4. stops that server on exit (also on failure, Ctrl-C or TERM) and exits
#    with cargo's exit code.
#
# AWS_* variables are left alone (tests pass explicit dummy credentials),
# except that instance metadata is turned off: no test may reach
# 169.254.169.254 (credential tests start their own loopback servers).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DDB_PROG="test.sh"
# shellcheck source-path=SCRIPTDIR source=lib/dynamodb-local-common.sh
source "$SCRIPT_DIR/lib/dynamodb-local-common.sh"
cd "$DDB_ROOT"

if ! command -v cargo >/dev/null 2>&1; then
  if [[ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]]; then
    PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  else
    ddb_log "error: cargo not found. Install Rust with rustup:"
    ddb_log "  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh"
    ddb_log "then open a new shell (or: source \"\$HOME/.cargo/env\") and re-run $0"
    exit 1
  fi
fi

t_install=$SECONDS
"$SCRIPT_DIR/install-dynamodb-local.sh"
t_install=$((SECONDS - t_install))

mkdir -p "$DDB_DIR/run"
STATE="$(mktemp -d "$DDB_DIR/run/test.XXXXXX")"

CARGO_PID=""
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  # Interrupted while cargo runs: stop cargo and the test binaries it started
  # (they share cargo's process group when setsid is available).
  if [[ -n "$CARGO_PID" ]] && kill -0 "$CARGO_PID" 2>/dev/null; then
    ddb_log "stopping cargo (pid $CARGO_PID)"
    kill -TERM -- "-$CARGO_PID" 2>/dev/null || kill -TERM "$CARGO_PID" 2>/dev/null || true
    wait "$CARGO_PID" 2>/dev/null || true
  fi
  "$SCRIPT_DIR/dynamodb-local.sh" stop "$STATE" || true
  if [[ $rc -eq 0 ]]; then
    rm -rf "$STATE"
  else
    ddb_log "DynamoDB Local log kept at $STATE/server.log"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

t_start=$SECONDS
DYNAMO_TEST_ENDPOINT="$("$SCRIPT_DIR/dynamodb-local.sh" start "$STATE")"
t_start=$((SECONDS - t_start))
DYNAMO_LOCAL_JAVA="$(ddb_find_java)"
export DYNAMO_TEST_ENDPOINT DYNAMO_LOCAL_JAVA
export DYNAMO_LOCAL_DIR="$DDB_DIR"
export AWS_EC2_METADATA_DISABLED=true

ddb_log "DYNAMO_TEST_ENDPOINT=$DYNAMO_TEST_ENDPOINT"
ddb_log "running: cargo test --workspace --all-features --no-fail-fast $*"
t_test=$SECONDS
# cargo runs in the background so that a signal to this script is handled at
# once (bash defers traps until a foreground child exits), in its own process
# group so cleanup can stop it together with its test binaries. Ctrl-C in a
# terminal reaches this script, whose INT trap then stops cargo.
if command -v setsid >/dev/null 2>&1; then
  setsid cargo test --workspace --all-features --no-fail-fast "$@" </dev/null &
else
  cargo test --workspace --all-features --no-fail-fast "$@" </dev/null &
fi
CARGO_PID=$!
set +e
wait "$CARGO_PID"
rc=$?
set -e
CARGO_PID=""
t_test=$((SECONDS - t_test))
ddb_log "timings: install/check ${t_install}s, server start ${t_start}s, cargo test ${t_test}s; cargo exit code $rc"
exit "$rc"
