#!/usr/bin/env bash
# Benchmark: time from start until tailscaled reports Running (its log line
# "Switching ipn state ... -> Running"), the supervisor (`qjs bundle/supervisor.mjs`) versus a
# baseline shell script that starts the same tailscaled the same way (same argv, config file, key
# file on tmpfs, `tailscale login` on NeedsLogin, output relayed line by line). Two cases: first
# login (fresh state, a new single-use pre-auth key per run) and restart of a logged-in node.
# Runs are interleaved (ABBA), after one warm-up round that is not counted.
#
#   bash test/lab/bench/boot-to-running.sh            # RUNS=7 rounds
#   RUNS=3 bash test/lab/bench/boot-to-running.sh
#
# Everything runs in private namespaces (network, mount, pid) against a local Headscale on
# 127.0.0.1; all state is in a temp dir removed on exit. Prints medians, not assertions: these
# machines are shared and noisy.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

RUNS=${RUNS:-7}
BOOT_TIMEOUT_S=${BOOT_TIMEOUT_S:-60}
RUNNING_RE='Switching ipn state [A-Za-z]+ -> Running'

bench_provision
bench_isolate "$0" "$@"
bench_scratch boot
bench_start_headscale

# The baseline: the supervisor's steps done by a small sh script (baseline.sh, shared with
# outage-to-running.sh).

RESULTS="$BENCH_TMP/results.txt"
: >"$RESULTS"

# start_variant VARIANT NODE_DIR HOSTNAME KEY LOG: starts one node, its output stamped into LOG
# (created here, before the start, so no earlier run's lines are read); sets STARTED_AT and NODE_PID.
start_variant() {
  local variant=$1 node=$2 host=$3 key=$4 log=$5
  mkdir -p "$node/state"
  : >"$log"
  local -a env
  mapfile -t env < <(bench_env)
  STARTED_AT=$EPOCHREALTIME
  if [[ $variant == supervisor ]]; then
    env -i "${env[@]}" TS_AUTHKEY="$key" TS_LOGIN_SERVER="$HS_URL" TS_USERSPACE=true TS_PORT=0 \
      TS_NETFILTER_MODE=off TS_STATE_DIR="$node/state" TS_SOCKET="$node/sock" TS_HOSTNAME="$host" \
      TS_BOOT_TIMEOUT="${BOOT_TIMEOUT_S}s" LOG_LEVEL=info \
      "${BENCH_TMPFS_RUN[@]}" "$QJS" "$BUNDLE" > >(bench_stamp >>"$log") 2>&1 &
  else
    env -i "${env[@]}" BENCH_KEY="$key" \
      "${BENCH_TMPFS_RUN[@]}" "$here/baseline.sh" "$node/state" "$node/sock" "$HS_URL" "$host" \
      > >(bench_stamp >>"$log") 2>&1 &
  fi
  NODE_PID=$!
  bench_track "$NODE_PID"
}

# stop_variant VARIANT: the supervisor gets SIGTERM (it stops tailscaled); the baseline's tree is TERMed.
stop_variant() {
  local variant=$1
  if [[ $variant == supervisor ]]; then
    kill -TERM "$NODE_PID" 2>/dev/null || true
    bench_wait_gone 10 "$NODE_PID" || echo "  supervisor $NODE_PID did not stop within 10 s" >&2
  fi
  bench_kill_tree "$NODE_PID"
}

# tailscaled_of PID: the pid of the tailscaled below PID.
tailscaled_of() {
  local child
  for child in $(bench_descendants "$1"); do
    [[ $(cat "/proc/$child/comm" 2>/dev/null) == tailscaled ]] && { echo "$child"; return 0; }
  done
  return 1
}

# describe_daemon PID NODE_DIR: tailscaled's argv, env names and config file, the run's dir replaced by NODE.
describe_daemon() {
  local daemon
  daemon=$(tailscaled_of "$1") || { echo "no tailscaled found below $1"; ps -e -o pid,ppid,pgid,stat,comm; return 0; }
  echo "argv: $(tr '\0' ' ' <"/proc/$daemon/cmdline" | sed "s|$2|NODE|g")"
  echo "env: $(tr '\0' '\n' <"/proc/$daemon/environ" | sed "s|$2|NODE|g; s|=.*||" | grep -v '^_$' | sort | tr '\n' ' ')"
  echo "config: $(tr -d ' \n' <"/proc/$daemon/root/run/tailscale-supervisor/tailscaled.json" | sed "s|bench-[a-z]*-[a-z-]*-[0-9w]*|HOST|")"
}

# run_once VARIANT CASE ROUND NODE_DIR HOSTNAME KEY [CHECK]: one timed run, appended to RESULTS
# (unless ROUND is w, the warm-up); with CHECK, prints what tailscaled was started with.
run_once() {
  local variant=$1 case=$2 round=$3 node=$4 host=$5 key=$6 check=${7:-}
  local log="$node/$case.log" first spawn running summary
  start_variant "$variant" "$node" "$host" "$key" "$log"
  if ! bench_wait_for "$log" "$RUNNING_RE" "$BOOT_TIMEOUT_S"; then
    echo "$variant $case round $round: no Running within $BOOT_TIMEOUT_S s; last lines:" >&2
    tail -15 "$log" >&2
    exit 1
  fi
  if [[ $variant == supervisor ]]; then
    bench_wait_for "$log" 'tailscale is running' 10 || echo "  no summary line within 10 s" >&2
  fi
  [[ -n $check ]] && describe_daemon "$NODE_PID" "$node" | tee "$BENCH_TMP/parity-$case-$variant" | sed "s/^/  $variant /"
  stop_variant "$variant"
  [[ $round == w ]] && return 0
  local measure regex at
  for measure in "${!MEASURES[@]}"; do
    regex=${MEASURES[$measure]}
    if [[ $regex == FIRST ]]; then at=$(head -1 "$log" | cut -d' ' -f1); else at=$(bench_line_time "$log" "$regex"); fi
    [[ -n $at ]] && echo "$variant $case $round $measure $(awk -v a="$at" -v s="$STARTED_AT" 'BEGIN { printf "%.6f", a - s }')" >>"$RESULTS"
  done
  return 0
}

# What is timed in each run: the log line marking it (stamped on arrival), or FIRST (the first line).
# The baseline's output is tailscaled's alone, so only its lines match there.
declare -A MEASURES=(
  [1-supervisor-first-line]='INFO preflight: system '
  [2-firewall-probed]='firewall backend chosen'
  [3-tailscaled-spawned]='supervisor: tailscaled started'
  [4-tailscaled-starting]='Program starting: v'
  [5-first-state]='Switching ipn state '
  [6-running]="$RUNNING_RE"
  [7-summary-line]='tailscale is running'
)

# One round of one case: both variants, order alternating (ABBA) between rounds.
run_round() {
  local case=$1 round=$2 check=${3:-} order variant
  if [[ $round == w ]] || ((round % 2 == 1)); then order="baseline supervisor"; else order="supervisor baseline"; fi
  for variant in $order; do
    local node="$BENCH_TMP/nodes/$variant-$round" key
    if [[ $case == first-login ]]; then
      key=$(bench_create_key)
    else
      key=$(cat "$node/key")
    fi
    printf '  %-10s %-11s round %s\n' "$variant" "$case" "$round"
    run_once "$variant" "$case" "$round" "$node" "bench-${variant:0:4}-$case-$round" "$key" "$check"
    echo "$key" >"$node/key"
  done
}

echo "boot-to-running: $RUNS rounds + 1 warm-up; $(bench_machine)"
echo "$(bench_subject)"
echo "headscale $HS_URL; scratch $BENCH_TMP"
# check_parity CASE: the baseline started tailscaled with the supervisor's argv and config file.
check_parity() {
  local what
  for what in argv config; do
    if [[ $(grep "^$what:" "$BENCH_TMP/parity-$1-baseline") == "$(grep "^$what:" "$BENCH_TMP/parity-$1-supervisor")" ]]; then
      echo "  parity $1: $what identical"
    else
      echo "  PARITY MISMATCH $1: the baseline's tailscaled $what differs from the supervisor's; update baseline.sh" >&2
      PARITY_MISMATCH=1
    fi
  done
}
PARITY_MISMATCH=0

echo "first login (fresh state, new single-use key per run):"
run_round first-login w check
check_parity first-login
for round in $(seq "$RUNS"); do run_round first-login "$round"; done
echo "restart of the same nodes, now logged in:"
run_round restart w check
check_parity restart
for round in $(seq "$RUNS"); do run_round restart "$round"; done


echo
echo "== time until tailscaled is Running (s from start; $RUNS runs each, interleaved)"
printf '%-12s %-10s %8s %8s %8s
' case variant median min max
for case in first-login restart; do
  for variant in baseline supervisor; do
    read -r med min max < <(stats "$variant" "$case" 6-running)
    printf '%-12s %-10s %8.3f %8.3f %8.3f\n' "$case" "$variant" "$med" "$min" "$max"
    eval "med_$variant=$med"
  done
  # shellcheck disable=SC2154
  awk -v b="$med_baseline" -v s="$med_supervisor" -v p="$(paired "$case" 6-running)" -v c="$case" \
    'BEGIN { printf "%-12s %-10s %+8.3f s (ratio %.3f); median of paired differences %+.3f s\n", c, "added", s - b, (b > 0 ? s / b : 0), p }'
done

echo
echo "== where the time goes: median s from start of each marker line (- = no such line)"
printf '%-24s %12s %12s %12s %12s\n' marker "first:base" "first:sup" "restart:base" "restart:sup"
for measure in $(printf '%s\n' "${!MEASURES[@]}" | sort); do
  row=()
  for case in first-login restart; do
    for variant in baseline supervisor; do
      med=$(stats "$variant" "$case" "$measure" | cut -d' ' -f1)
      if [[ -n $med ]]; then row+=("$(printf '%.3f' "$med")"); else row+=(-); fi
    done
  done
  printf '%-24s %12.12s %12.12s %12.12s %12.12s\n' "${measure#?-}" "${row[@]}"
done
echo "target: the supervisor adds <= 0.100 s to Running ('added' above)"
((PARITY_MISMATCH == 0)) || echo "WARNING: baseline and supervisor started tailscaled differently (see PARITY above)"
