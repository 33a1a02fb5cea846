#!/usr/bin/env bash
# Benchmark: a node that starts while its control server is down (DOWN_S seconds, default 20): how
# long after the server answers again until tailscaled is logged in (its
# "health(warnable=login-state): ok" line) and Running, for a first login and for a restart of the
# logged-in node (a build with cachenetmap, unlike the image's, is Running from its disk cache at once
# on a restart; then only the login is timed). The supervisor (`qjs bundle/supervisor.mjs`) versus
# the baseline script beside it (test/lab/bench/baseline.sh: the same tailscaled started the same way).
# Until the login it is all tailscaled's retry backoff (n^2 x 10 ms, jittered 0.5-1.5x, capped at
# 30 s: tailscale.com/util/backoff), so expect a wide spread; "running-after-login" leaves it out.
#
#   bash test/lab/bench/outage-to-running.sh               # RUNS=5 interleaved rounds, DOWN_S=20 (~12 min)
#   RUNS=3 DOWN_S=60 bash test/lab/bench/outage-to-running.sh
#
# Same isolation as boot-to-running.sh (private net, mount and pid namespaces, loopback Headscale,
# temp dir removed on exit). Prints medians, not assertions.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

RUNS=${RUNS:-5}
DOWN_S=${DOWN_S:-20}
DEADLINE_S=${DEADLINE_S:-120}
RUNNING_RE='Switching ipn state [A-Za-z]+ -> Running'
LOGIN_OK_RE='health\(warnable=login-state\): ok'

bench_provision
bench_isolate "$0" "$@"
bench_scratch outage
bench_start_headscale

RESULTS="$BENCH_TMP/results.txt"
: >"$RESULTS"

# start_variant VARIANT NODE_DIR HOSTNAME KEY LOG: one node, its output stamped into LOG; sets NODE_PID.
start_variant() {
  local variant=$1 node=$2 host=$3 key=$4 log=$5
  mkdir -p "$node/state"
  : >"$log"
  local -a env
  mapfile -t env < <(bench_env)
  if [[ $variant == supervisor ]]; then
    env -i "${env[@]}" TS_AUTHKEY="$key" TS_LOGIN_SERVER="$HS_URL" TS_USERSPACE=true TS_PORT=0 \
      TS_NETFILTER_MODE=off TS_STATE_DIR="$node/state" TS_SOCKET="$node/sock" TS_HOSTNAME="$host" LOG_LEVEL=info \
      "${BENCH_TMPFS_RUN[@]}" "$QJS" "$BUNDLE" > >(bench_stamp >>"$log") 2>&1 &
  else
    env -i "${env[@]}" BENCH_KEY="$key" \
      "${BENCH_TMPFS_RUN[@]}" "$here/baseline.sh" "$node/state" "$node/sock" "$HS_URL" "$host" \
      > >(bench_stamp >>"$log") 2>&1 &
  fi
  NODE_PID=$!
  bench_track "$NODE_PID"
}

stop_variant() {
  if [[ $1 == supervisor ]]; then
    kill -TERM "$NODE_PID" 2>/dev/null || true
    bench_wait_gone 10 "$NODE_PID" || echo "  supervisor $NODE_PID did not stop within 10 s" >&2
  fi
  bench_kill_tree "$NODE_PID"
}

# What is timed, from the moment Headscale answers again: the first line matching each regex.
declare -A MEASURES=(
  [1-login-ok]="$LOGIN_OK_RE"
  [2-running]="$RUNNING_RE"
  [3-reachable-again]='INFO supervisor: control server reachable again'
  [4-summary-line]='INFO supervisor: tailscale is running'
)

# run_once VARIANT CASE ROUND NODE_DIR HOSTNAME KEY: server down, node started, DOWN_S later the server
# back; waits for the case's marker and appends the times (after the server came back) to RESULTS.
run_once() {
  local variant=$1 case=$2 round=$3 node=$4 host=$5 key=$6
  local log="$node/$case.log" marker="$RUNNING_RE" measure at
  bench_stop_headscale
  start_variant "$variant" "$node" "$host" "$key" "$log"
  # The outage is the scenario's parameter, not a wait for something.
  sleep "$DOWN_S"
  # Running already: a build with cachenetmap runs a logged-in node from its disk cache; then the
  # server's answer (login-state ok) is what there is to wait for. A first login is never Running yet.
  if grep -Eq -- "$RUNNING_RE" "$log"; then
    [[ $case == restart ]] || echo "  $variant $case round $round: Running while the server was down?" >&2
    marker=$LOGIN_OK_RE
  fi
  local before=$(($(wc -l <"$log")))
  bench_serve_headscale
  local up=$EPOCHREALTIME
  if ! wait_after "$log" "$before" "$marker" "$DEADLINE_S"; then
    echo "$variant $case round $round: no '$marker' within $DEADLINE_S s of the server's return; last lines:" >&2
    tail -15 "$log" >&2
    exit 1
  fi
  [[ $variant == supervisor && $marker == "$RUNNING_RE" ]] && { wait_after "$log" "$before" 'tailscale is running' 10 || echo "  no summary line within 10 s" >&2; }
  stop_variant "$variant"
  [[ $round == w ]] && return 0
  local login_at="" running_at=""
  for measure in "${!MEASURES[@]}"; do
    at=$(tail -n +"$((before + 1))" "$log" | grep -Em1 -- "${MEASURES[$measure]}" | cut -d' ' -f1 || true)
    [[ -n $at ]] && echo "$variant $case $round $measure $(awk -v a="$at" -v s="$up" 'BEGIN { printf "%.6f", a - s }')" >>"$RESULTS"
    [[ $measure == 1-login-ok ]] && login_at=$at
    [[ $measure == 2-running ]] && running_at=$at
  done
  # What follows the server's answer (netcheck, then the relay): the backoff's jitter left out.
  [[ -n $login_at && -n $running_at ]] && echo "$variant $case $round 5-running-after-login $(awk -v a="$running_at" -v s="$login_at" 'BEGIN { printf "%.6f", a - s }')" >>"$RESULTS"
  return 0
}

# wait_after FILE SKIP REGEX TIMEOUT_S: until a line after the first SKIP lines of FILE matches.
wait_after() {
  local deadline
  deadline=$(bench_deadline "$4")
  until tail -n +"$(($2 + 1))" "$1" | grep -Eq -- "$3"; do
    bench_past "$deadline" && return 1
    sleep 0.02
  done
}

run_round() {
  local case=$1 round=$2 order variant
  if [[ $round == w ]] || ((round % 2 == 1)); then order="baseline supervisor"; else order="supervisor baseline"; fi
  for variant in $order; do
    local node="$BENCH_TMP/nodes/$variant-$round" key
    if [[ $case == first-login ]]; then key=$(bench_create_key); else key=$(cat "$node/key"); fi
    printf '  %-10s %-11s round %s\n' "$variant" "$case" "$round"
    run_once "$variant" "$case" "$round" "$node" "bench-${variant:0:4}-$case-$round" "$key"
    echo "$key" >"$node/key"
  done
}

echo "outage-to-running: server down ${DOWN_S} s at each start; $RUNS rounds + 1 warm-up; $(bench_machine)"
bench_subject
echo "headscale $HS_URL; scratch $BENCH_TMP"
echo "first login while the server is down:"
run_round first-login w
for round in $(seq "$RUNS"); do run_round first-login "$round"; done
echo "restart of the same (logged-in) nodes while the server is down:"
run_round restart w
for round in $(seq "$RUNS"); do run_round restart "$round"; done


echo
echo "== s from the server's return until the marker ($RUNS runs each; running-after-login: from login-ok to Running)"
printf '%-12s %-20s %-10s %8s %8s %8s\n' case marker variant median min max
for case in first-login restart; do
  for measure in $(printf '%s\n' "${!MEASURES[@]}" 5-running-after-login | sort); do
    for variant in baseline supervisor; do
      if read -r med min max < <(stats "$variant" "$case" "$measure"); then
        printf '%-12s %-20s %-10s %8.3f %8.3f %8.3f\n' "$case" "${measure#?-}" "$variant" "$med" "$min" "$max"
      fi
    done
  done
  for key in 2-running 5-running-after-login; do
    read -r base _ < <(stats baseline "$case" "$key") || continue
    read -r sup _ < <(stats supervisor "$case" "$key") || continue
    awk -v b="$base" -v s="$sup" -v p="$(paired "$case" "$key")" -v c="$case" -v k="${key#?-}" \
      'BEGIN { printf "%-12s %-20s %-10s %+8.3f s (ratio %.3f); median of paired differences %+.3f s\n", c, k, "added", s - b, (b > 0 ? s / b : 0), p }'
  done
done
echo "target: the supervisor adds nothing measurable (its Running line is tailscaled's, relayed)"
