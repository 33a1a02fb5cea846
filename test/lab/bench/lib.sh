# Shared helpers of the benchmark scripts (sourced, not run): provisioning, a private scratch dir
# cleaned up on exit, processes killed by pid, a loopback Headscale, deadlines, statistics.
# Nothing here touches the host outside the scratch dir: loopback only, tmpfs mounts only inside
# `unshare --mount` namespaces the scripts create.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
BENCH_FIXTURES="$BENCH_ROOT/test/fixtures/tailscale"
BENCH_PIDS=()

# bench_provision: sets QJS, TAILSCALED, TAILSCALE, HEADSCALE, BUNDLE (provisioning is idempotent).
bench_provision() {
  QJS=$(bash "$BENCH_ROOT/test/setup/provision-qjs.sh")
  eval "$(bash "$BENCH_ROOT/test/setup/provision-tailscale.sh" 2>/dev/null)"
  : "${TAILSCALED:?}" "${TAILSCALE:?}" "${HEADSCALE:?}"
  BUNDLE="$BENCH_ROOT/bundle/supervisor.mjs"
  # The supervisor finds tailscaled/tailscale on PATH, as in the image (/usr/local/bin first).
  BENCH_BIN_DIR=$(dirname "$TAILSCALED")
  [[ $(dirname "$TAILSCALE") == "$BENCH_BIN_DIR" ]] || { echo "tailscaled and tailscale in different dirs" >&2; exit 1; }
}

# bench_scratch NAME: a private temp dir in BENCH_TMP; everything started is killed, the dir removed on exit.
bench_scratch() {
  BENCH_TMP=$(mktemp -d "/tmp/ts-bench-$1.XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do bench_kill_tree "$pid"; done
  [[ -n ${BENCH_TMP:-} && -d $BENCH_TMP && ${BENCH_KEEP:-} != 1 ]] && rm -rf "$BENCH_TMP"
  return 0
}

# bench_track PID: kill this pid (and its descendants) on exit.
bench_track() { BENCH_PIDS+=("$1"); }

# bench_descendants PID: the pids of all descendants of PID (from /proc, children first listed last).
bench_descendants() {
  local pid=$1 child
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
    echo "$child"
    bench_descendants "$child"
  done
}

# bench_kill_tree PID [GRACE_S]: TERM the process and its descendants, KILL what is left after the grace.
bench_kill_tree() {
  local pid=$1 grace=${2:-5} all
  all="$pid $(bench_descendants "$pid" | tr '\n' ' ')"
  # shellcheck disable=SC2086
  kill -TERM $all 2>/dev/null || true
  bench_wait_gone "$grace" $all || { kill -KILL $all 2>/dev/null || true; bench_wait_gone 2 $all || true; }
  wait "$pid" 2>/dev/null || true
}

# bench_wait_gone TIMEOUT_S PID...: 0 once none of the pids exists (zombies of ours count as gone).
bench_wait_gone() {
  local deadline pid alive
  deadline=$(bench_deadline "$1"); shift
  while :; do
    alive=0
    for pid in "$@"; do
      if [[ -e /proc/$pid ]] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then alive=1; fi
    done
    ((alive == 0)) && return 0
    bench_past "$deadline" && return 1
    sleep 0.02
  done
}

# Time in integer microseconds, from bash's own clock (no fork; LC_ALL=C keeps the "." in it).
bench_us() { local t=$EPOCHREALTIME; echo $((10#${t/./})); }
# bench_deadline SECONDS: the time (us) SECONDS from now; bench_past T: true once T is past.
bench_deadline() { echo $(($(bench_us) + $1 * 1000000)); }
bench_past() { (($(bench_us) >= $1)); }

# bench_wait_for FILE REGEX TIMEOUT_S: polls FILE (every 20 ms) until a line matches; 1 on timeout.
# Only for synchronisation: timings come from the timestamps bench_stamp puts on each line.
bench_wait_for() {
  local file=$1 regex=$2 deadline
  deadline=$(bench_deadline "$3")
  until grep -Eq -- "$regex" "$file" 2>/dev/null; do
    bench_past "$deadline" && return 1
    sleep 0.02
  done
}

# bench_stamp: copies stdin to stdout, each line prefixed with the time it arrived (epoch seconds, us).
bench_stamp() { perl -MTime::HiRes=time -ne 'BEGIN { $| = 1 } printf "%.6f %s", time, $_'; }

# bench_line_time FILE REGEX: the stamp of the first line of a bench_stamp'ed FILE matching REGEX (else empty).
bench_line_time() { grep -Em1 -- "$2" "$1" 2>/dev/null | cut -d' ' -f1 || true; }

# bench_free_port: a TCP port on 127.0.0.1 nobody listens on.
bench_free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return 0; }
  done
  echo "no free port found" >&2
  return 1
}

# bench_start_headscale: Headscale on a free loopback port, dir $BENCH_TMP/headscale; sets HS_URL, HS_USER_ID.
bench_start_headscale() {
  local dir="$BENCH_TMP/headscale" port deadline
  mkdir -p "$dir"
  port=$(bench_free_port)
  sed -e "s|@HS_DIR@|$dir|g" -e "s|@HS_PORT@|$port|g" -e "s|@DERP_YAML@|$BENCH_FIXTURES/derp-stub.yaml|g" \
    "$BENCH_FIXTURES/headscale-config.yaml" >"$dir/config.yaml"
  HS_URL="http://127.0.0.1:$port"
  bench_serve_headscale
  bench_headscale users create bench >/dev/null
  HS_USER_ID=$(bench_headscale users list -o json | tr -d ' \n' | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
  : "${HS_USER_ID:?no headscale user id}"
}

# bench_serve_headscale: (re)starts serving with the config bench_start_headscale wrote (same
# database, keys and nodes); sets HS_PID; returns once it answers on HS_URL.
bench_serve_headscale() {
  local dir="$BENCH_TMP/headscale" deadline
  "$HEADSCALE" -c "$dir/config.yaml" serve >>"$dir/serve.log" 2>&1 &
  HS_PID=$!
  bench_track "$HS_PID"
  deadline=$(bench_deadline 30)
  until curl -fsS -o /dev/null "$HS_URL/health" 2>/dev/null; do
    bench_past "$deadline" && { echo "headscale did not come up:" >&2; tail -20 "$dir/serve.log" >&2; return 1; }
    sleep 0.05
  done
}

# bench_stop_headscale: stops serving (TERM, by pid); the next bench_serve_headscale picks up the same state.
bench_stop_headscale() { bench_kill_tree "$HS_PID"; }

bench_headscale() { "$HEADSCALE" -c "$BENCH_TMP/headscale/config.yaml" "$@"; }

# bench_create_key [--reusable]: a new pre-auth key of user bench (printed).
bench_create_key() {
  bench_headscale preauthkeys create --user "$HS_USER_ID" -e 2h "$@" 2>/dev/null | tail -1 | tr -d '[:space:]'
}

# bench_stats VALUE...: "median min max" of the values (any unit).
bench_stats() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.6f %.6f %.6f\n", m, v[1], v[NR] }'
}

# bench_machine: one line describing this machine and the load on it.
bench_machine() {
  echo "$(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores $(uname -m), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# bench_isolate SCRIPT ARGS...: re-runs SCRIPT inside new net, mount and pid namespaces (once), so
# that Headscale, tailscaled and the supervisor's preflight probes (iptables) see only a private
# network, and everything dies with the script. The network: lo, plus a veth pair with a default
# route into nowhere (tailscaled pauses when no link is up); nothing leaves the machine.
bench_isolate() {
  [[ ${BENCH_ISOLATED:-} == 1 ]] && { bench_setup_netns; return 0; }
  export BENCH_ISOLATED=1
  exec unshare --net --mount --pid --fork --kill-child --mount-proc --propagation private bash "$@"
}

bench_setup_netns() {
  ip link set lo up
  ip link add bench0 type veth peer name bench1
  ip link set bench1 up
  ip link set bench0 up
  ip addr add 192.0.2.2/24 dev bench0
  ip route add default via 192.0.2.1 dev bench0
}

# bench_in_tmpfs_run CMD...: CMD in a private mount namespace with a fresh tmpfs on /run (the
# supervisor's runtime dir), so nothing is written to the host's /run.
BENCH_TMPFS_RUN=(unshare --mount --propagation private sh -c 'mount -t tmpfs -o mode=755 tmpfs /run && exec "$@"' sh)

# bench_env: the environment every supervisor/tailscaled of the benchmarks starts with.
# TS_NO_LOGS_NO_SUPPORT: no log upload attempts (log.tailscale.com) from the offline namespace.
bench_env() {
  echo "PATH=$BENCH_BIN_DIR:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  echo "LC_ALL=C"
  echo "TS_NO_LOGS_NO_SUPPORT=true"
}

# bench_subject: what was measured: the bundle (size, sha256 prefix) and the commit (+ "dirty" when
# the bundle differs from it).
bench_subject() {
  local commit dirty=""
  commit=$(git -C "$BENCH_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  git -C "$BENCH_ROOT" diff --quiet HEAD -- bundle/supervisor.mjs 2>/dev/null || dirty=" (bundle differs from HEAD)"
  echo "bundle $(stat -c %s "$BUNDLE") B sha256 $(sha256sum "$BUNDLE" | cut -c1-12), commit $commit$dirty"
  # The cache is shared: say which tailscaled build ran (the image's trimmed one is ~18 MB, stock ~30 MB).
  echo "tailscaled $(stat -c %s "$TAILSCALED") B sha256 $(sha256sum "$TAILSCALED" | cut -c1-12)"
}

# Over "$RESULTS", lines "VARIANT CASE ROUND MEASURE SECONDS" (VARIANT baseline or supervisor):
# stats VARIANT CASE MEASURE: "median min max" of that measure (empty when never seen).
stats() {
  local values
  values=$(awk -v v="$1" -v c="$2" -v m="$3" '$1 == v && $2 == c && $4 == m { print $5 }' "$RESULTS")
  if [[ -n $values ]]; then bench_stats $values; fi
}

# paired CASE MEASURE: median of the per-round differences supervisor - baseline.
paired() {
  local diffs
  diffs=$(awk -v m="$2" -v cs="$1" '$2 == cs && $4 == m { v[$3, $1] = $5; r[$3] = 1 }
    END { for (k in r) if ((k, "baseline") in v && (k, "supervisor") in v) print v[k, "supervisor"] - v[k, "baseline"] }' "$RESULTS")
  if [[ -n $diffs ]]; then bench_stats $diffs | cut -d" " -f1; fi
}
