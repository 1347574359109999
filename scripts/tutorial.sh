#!/usr/bin/env bash
# Runs the boto dynamodb2 tutorial in Rust, end to end:
#   ./scripts/tutorial.sh [--aws]
# With no endpoint configured (AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL)
# and without --aws, it installs DynamoDB Local if missing and the example
# starts it by itself on a free loopback port.
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$SCRIPT_DIR/.."

if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "tutorial.sh: cargo is not installed; install Rust from https://rustup.rs" >&2
  exit 1
fi

uses_local=yes
for arg in "$@"; do
  [ "$arg" = "--aws" ] && uses_local=no
done
[ -n "${AWS_ENDPOINT_URL_DYNAMODB:-}${AWS_ENDPOINT_URL:-}" ] && uses_local=no

if [ "$uses_local" = yes ]; then
  ./scripts/install-dynamodb-local.sh
  # shellcheck source=scripts/lib/dynamodb-local-common.sh
  source "$SCRIPT_DIR/lib/dynamodb-local-common.sh"
  # The Java 17+ the installer checked, which may not be first on PATH.
  DYNAMO_LOCAL_JAVA="$(ddb_find_java)"
  DYNAMO_LOCAL_DIR="$DDB_DIR"
  export DYNAMO_LOCAL_JAVA DYNAMO_LOCAL_DIR
fi

exec cargo run --quiet -p dynamo-blocking --features local --example tutorial -- "$@"
