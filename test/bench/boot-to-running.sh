#!/usr/bin/env bash
# Benchmark: time from start until tailscaled reports Running (its log line
# "Switching ipn state ... -> Running"), the supervisor (`qjs bundle/supervisor.mjs`) versus a
# baseline shell script that starts the same tailscaled the same way (same argv, config file, key
# file on tmpfs, `tailscale login` on NeedsLogin, output relayed line by line). Two cases: first
# login (fresh state, a new single-use pre-auth key per run) and restart of a logged-in node.
# Runs are interleaved (ABBA), after one warm-up round that is not counted.
#
#   bash test/bench/boot-to-running.sh            # RUNS=7 rounds
#   RUNS=3 bash test/bench/boot-to-running.sh
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

# The baseline: the supervisor's steps done by a small sh script (as root, /run a fresh tmpfs).
cat >"$BENCH_TMP/baseline.sh" <<'SH'
#!/bin/sh
# Usage: baseline.sh STATE_DIR SOCKET LOGIN_SERVER HOSTNAME; the key in env BENCH_KEY.
set -eu
state=$1 sock=$2 server=$3 host=$4
dir=/run/tailscale-supervisor
mkdir -m 700 "$dir"
(umask 077 && printf '%s\n' "$BENCH_KEY" >"$dir/authkey")
unset BENCH_KEY
cat >"$dir/tailscaled.json" <<JSON
{
  "Version": "alpha0",
  "Locked": false,
  "Enabled": true,
  "acceptDNS": false,
  "acceptRoutes": false,
  "ServerURL": "$server",
  "Hostname": "$host",
  "NetfilterMode": "off"
}
JSON
chmod 600 "$dir/tailscaled.json"
export TS_LOGS_DIR="$state" TS_DEBUG_FIREWALL_MODE=iptables
setsid tailscaled "--statedir=$state" "--socket=$sock" --port=0 --tun=userspace-networking "--config=$dir/tailscaled.json" 2>&1 | {
  seen=
  while IFS= read -r line; do
    printf '%s\n' "$line"
    case $line in
      *"Switching ipn state "*) [ -n "$seen" ] || {
          seen=1
          case $line in *"-> NeedsLogin"*)
            tailscale "--socket=$sock" login --accept-dns=false "--login-server=$server" "--hostname=$host" \
              --netfilter-mode=off "--auth-key=file:$dir/authkey" >/dev/null 2>&1 &
          esac
        } ;;
    esac
  done
}
SH
chmod +x "$BENCH_TMP/baseline.sh"

RESULTS="$BENCH_TMP/results.txt"
: >"$RESULTS"

# start_variant VARIANT NODE_DIR HOSTNAME KEY: starts one node, output stamped into NODE_DIR/out.log;
# sets STARTED_US (start time) and NODE_PID.
start_variant() {
  local variant=$1 node=$2 host=$3 key=$4
  mkdir -p "$node/state"
  local -a env
  mapfile -t env < <(bench_env)
  STARTED_AT=$EPOCHREALTIME
  if [[ $variant == supervisor ]]; then
    env -i "${env[@]}" TS_AUTHKEY="$key" TS_LOGIN_SERVER="$HS_URL" TS_USERSPACE=true TS_PORT=0 \
      TS_NETFILTER_MODE=off TS_STATE_DIR="$node/state" TS_SOCKET="$node/sock" TS_HOSTNAME="$host" \
      TS_BOOT_TIMEOUT="${BOOT_TIMEOUT_S}s" LOG_LEVEL=info \
      "${BENCH_TMPFS_RUN[@]}" "$QJS" "$BUNDLE" > >(bench_stamp >"$node/out.log") 2>&1 &
  else
    env -i "${env[@]}" BENCH_KEY="$key" \
      "${BENCH_TMPFS_RUN[@]}" "$BENCH_TMP/baseline.sh" "$node/state" "$node/sock" "$HS_URL" "$host" \
      > >(bench_stamp >"$node/out.log") 2>&1 &
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
  echo "config: $(tr -d ' \n' <"/proc/$daemon/root/run/tailscale-supervisor/tailscaled.json" | sed "s|bench-[a-z]*-[a-z]*-[0-9w]*|HOST|")"
}

# run_once VARIANT CASE ROUND NODE_DIR HOSTNAME KEY [CHECK]: one timed run, appended to RESULTS
# (unless ROUND is w, the warm-up); with CHECK, prints what tailscaled was started with.
run_once() {
  local variant=$1 case=$2 round=$3 node=$4 host=$5 key=$6 check=${7:-}
  start_variant "$variant" "$node" "$host" "$key"
  if ! bench_wait_for "$node/out.log" "$RUNNING_RE" "$BOOT_TIMEOUT_S"; then
    echo "$variant $case round $round: no Running within $BOOT_TIMEOUT_S s; last lines:" >&2
    tail -15 "$node/out.log" >&2
    exit 1
  fi
  if [[ $variant == supervisor ]]; then
    bench_wait_for "$node/out.log" 'tailscale is running' 10 || echo "  no summary line within 10 s" >&2
  fi
  [[ -n $check ]] && describe_daemon "$NODE_PID" "$node" | sed "s/^/  $variant /"
  stop_variant "$variant"
  local log="$node/out.log" first spawn running summary
  if [[ $variant == supervisor ]]; then
    spawn=$(bench_line_time "$log" 'supervisor: tailscaled started')
    first=$(bench_line_time "$log" ' tailscaled: ')
  else
    spawn=$STARTED_AT
    first=$(head -1 "$log" | cut -d' ' -f1)
  fi
  running=$(bench_line_time "$log" "$RUNNING_RE")
  summary=$(bench_line_time "$log" 'tailscale is running')
  [[ $round == w ]] && return 0
  awk -v v="$variant" -v c="$case" -v r="$round" -v s="$STARTED_AT" -v sp="$spawn" -v f="$first" -v run="$running" -v sum="${summary:-$running}" \
    'BEGIN { printf "%s %s %s %.6f %.6f %.6f %.6f\n", v, c, r, sp - s, f - s, run - s, sum - s }' >>"$RESULTS"
}

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
echo "headscale $HS_URL; scratch $BENCH_TMP"
echo "first login (fresh state, new single-use key per run):"
run_round first-login w check
for round in $(seq "$RUNS"); do run_round first-login "$round"; done
echo "restart of the same nodes, now logged in:"
run_round restart w check
for round in $(seq "$RUNS"); do run_round restart "$round"; done

summarize() {
  local case=$1 column=$2 label=$3 variant
  for variant in baseline supervisor; do
    # shellcheck disable=SC2046
    set -- $(bench_stats $(awk -v v="$variant" -v c="$case" -v k="$column" '$1 == v && $2 == c { print $k }' "$RESULTS"))
    printf '%-11s %-26s %-10s %8.3f %8.3f %8.3f\n' "$case" "$label" "$variant" "$1" "$2" "$3"
    eval "med_$variant=$1"
  done
  # shellcheck disable=SC2154
  awk -v b="$med_baseline" -v s="$med_supervisor" -v c="$case" -v l="$label" \
    'BEGIN { printf "%-11s %-26s %-10s %+8.3f s (x%.3f)\n", c, l, "sup-base", s - b, b > 0 ? s / b : 0 }'
}

echo
echo "seconds from start; median / min / max over $RUNS runs each"
printf '%-11s %-26s %-10s %8s %8s %8s\n' case measure variant median min max
for case in first-login restart; do
  summarize "$case" 4 "tailscaled exec'd" 
  summarize "$case" 5 "first tailscaled line"
  summarize "$case" 6 "Running (the target)"
  summarize "$case" 7 "supervisor summary line"
done
echo "(baseline: 'tailscaled exec'd' is the start itself; its 'summary line' is its Running line)"
