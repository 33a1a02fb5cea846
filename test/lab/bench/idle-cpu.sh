#!/usr/bin/env bash
# Benchmark: the supervisor's CPU, wakeups and memory while nothing happens. Starts the supervisor
# (`qjs bundle/supervisor.mjs`, first login against a local Headscale, userspace networking, in
# private namespaces) until tailscaled is Running and the supervisor logged its summary, then
# samples /proc over DURATION seconds (default 600) for three processes side by side:
#   - the supervisor (the qjs process),
#   - tailscaled (its child: context for what "idle" costs the daemon itself),
#   - an idle `sleep` (the floor: what any sleeping process costs).
# CPU = utime + stime (/proc/PID/stat, all threads, 10 ms ticks) and the scheduler's run time
# (/proc/PID/task/*/schedstat, ns); wakeups = times each thread was put on a CPU (schedstat), and
# context switches (/proc/PID/task/*/status, voluntary + involuntary); memory = VmRSS (min/max of the samples) and
# VmHWM. Also counts the tailscaled log lines the supervisor relayed in the window: relaying them is
# part of its idle cost, and this offline setup (stub DERP at 127.0.0.1:1) makes tailscaled log
# retries that a healthy node would not.
#
#   bash test/lab/bench/idle-cpu.sh                  # 10 minutes
#   DURATION=60 bash test/lab/bench/idle-cpu.sh
#   SAMPLE_S=5 DURATION=120 bash test/lab/bench/idle-cpu.sh
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

DURATION=${DURATION:-600}
SAMPLE_S=${SAMPLE_S:-10}
CLK_TCK=$(getconf CLK_TCK)

bench_provision
bench_isolate "$0" "$@"
bench_scratch idle
bench_start_headscale
mapfile -t BASE_ENV < <(bench_env)

echo "idle-cpu: ${DURATION} s window, samples every ${SAMPLE_S} s; $(bench_machine)"
echo "$(bench_subject)"

node="$BENCH_TMP/node"
mkdir -p "$node/state"
key=$(bench_create_key)
env -i "${BASE_ENV[@]}" TS_AUTHKEY="$key" TS_LOGIN_SERVER="$HS_URL" TS_USERSPACE=true TS_PORT=0 \
  TS_NETFILTER_MODE=off TS_STATE_DIR="$node/state" TS_SOCKET="$node/sock" TS_HOSTNAME=bench-idle LOG_LEVEL=info \
  "${BENCH_TMPFS_RUN[@]}" "$QJS" "$BUNDLE" > >(bench_stamp >"$node/out.log") 2>&1 &
sup=$!
bench_track "$sup"
sleep infinity &
idle=$!
bench_track "$idle"
bench_wait_for "$node/out.log" 'tailscale is running' 60 || { echo "not Running within 60 s" >&2; tail -20 "$node/out.log" >&2; exit 1; }
[[ $(cat "/proc/$sup/comm") == qjs ]] || { echo "pid $sup is not qjs" >&2; exit 1; }
daemon=
for child in $(bench_descendants "$sup"); do [[ $(cat "/proc/$child/comm") == tailscaled ]] && daemon=$child; done
[[ -n $daemon ]] || { echo "no tailscaled below the supervisor" >&2; exit 1; }
echo "Running: supervisor (qjs) pid $sup, tailscaled pid $daemon, sleep pid $idle"

# ticks PID: utime + stime of the whole process, in clock ticks.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# switches PID: "voluntary involuntary" context switches, summed over all threads.
switches() { cat /proc/"$1"/task/*/status | awk '$1 == "voluntary_ctxt_switches:" { v += $2 } $1 == "nonvoluntary_ctxt_switches:" { n += $2 } END { print v, n }'; }
# status_kb PID FIELD: a field of /proc/PID/status, in KB.
status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
# sched PID: "run-time-ns timeslices" summed over all threads (/proc/PID/task/*/schedstat).
sched() { cat /proc/"$1"/task/*/schedstat | awk '{ ns += $1; runs += $3 } END { printf "%d %d\n", ns, runs }'; }
# snapshot NAME PID: saves ticks, run time, timeslices and context switches under NAME_*.
snapshot() { eval "$1_ticks=$(ticks "$2"); read -r $1_ns $1_runs < <(sched $2); read -r $1_vol $1_invol < <(switches $2)"; }

names=(supervisor tailscaled sleep)
pids=("$sup" "$daemon" "$idle")
declare -A rss_min rss_max
for i in 0 1 2; do snapshot "start_${names[i]}" "${pids[i]}"; done
window_start=$EPOCHREALTIME
end=$(bench_deadline "$DURATION")
samples=0
while :; do
  for i in 0 1 2; do
    [[ -e /proc/${pids[i]} ]] || { echo "${names[i]} (pid ${pids[i]}) is gone" >&2; tail -20 "$node/out.log" >&2; exit 1; }
    kb=$(status_kb "${pids[i]}" VmRSS)
    n=${names[i]}
    [[ -z ${rss_min[$n]:-} || $kb -lt ${rss_min[$n]} ]] && rss_min[$n]=$kb
    [[ -z ${rss_max[$n]:-} || $kb -gt ${rss_max[$n]} ]] && rss_max[$n]=$kb
  done
  samples=$((samples + 1))
  bench_past "$end" && break
  left=$(((end - $(bench_us)) / 1000000))
  sleep "$((left < SAMPLE_S ? (left > 0 ? left : 1) : SAMPLE_S))"
done
for i in 0 1 2; do snapshot "end_${names[i]}" "${pids[i]}"; done
window_end=$EPOCHREALTIME
for i in 0 1 2; do eval "hwm_${names[i]}=$(status_kb "${pids[i]}" VmHWM)"; done

# What the supervisor did meanwhile: lines it logged in the window, tailscaled restarts.
relayed=$(awk -v a="$window_start" -v b="$window_end" '$1 >= a && $1 <= b' "$node/out.log" | wc -l)
own=$(awk -v a="$window_start" -v b="$window_end" '$1 >= a && $1 <= b && $3 != "tailscaled:"' "$node/out.log" | wc -l)
starts=$(grep -c 'supervisor: tailscaled started' "$node/out.log" || true)

kill -TERM "$sup"
bench_wait_gone 10 "$sup" || echo "supervisor did not stop within 10 s" >&2

seconds=$(awk -v a="$window_start" -v b="$window_end" 'BEGIN { printf "%.1f", b - a }')
echo
echo "== idle window: $seconds s, $samples samples; tailscaled started $starts time(s) in all"
echo "supervisor log lines in the window: $relayed ($own of its own, the rest relayed from tailscaled)"
printf '%-11s %9s %9s %8s %9s %10s %8s %8s %8s %8s\n' process "CPU s" "(ticks)" "CPU %" "wakeups/s" "vol ctxsw" "invol" "RSS min" "RSS max" "VmHWM"
for n in "${names[@]}"; do
  eval "t0=\$start_${n}_ticks t1=\$end_${n}_ticks ns0=\$start_${n}_ns ns1=\$end_${n}_ns r0=\$start_${n}_runs r1=\$end_${n}_runs"
  eval "v0=\$start_${n}_vol v1=\$end_${n}_vol i0=\$start_${n}_invol i1=\$end_${n}_invol hwm=\$hwm_${n}"
  # shellcheck disable=SC2154
  awk -v n="$n" -v t="$((t1 - t0))" -v hz="$CLK_TCK" -v ns="$((ns1 - ns0))" -v r="$((r1 - r0))" -v s="$seconds" \
    -v v="$((v1 - v0))" -v i="$((i1 - i0))" -v lo="${rss_min[$n]}" -v hi="${rss_max[$n]}" -v h="$hwm" \
    'BEGIN { printf "%-11s %9.3f %9.2f %8.4f %9.2f %10d %8d %5d KB %5d KB %5d KB\n", n, ns / 1e9, t / hz, 100 * ns / 1e9 / s, r / s, v, i, lo, hi, h }'
done
echo "CPU s: scheduler run time (schedstat); (ticks): utime+stime in 1/$CLK_TCK s; wakeups/s: times put on a CPU."
echo "tailscaled lines the supervisor relayed in the window, most frequent first (digits masked):"
awk -v a="$window_start" -v b="$window_end" '$1 >= a && $1 <= b && $3 == "tailscaled:"' "$node/out.log" |
  cut -d' ' -f4- | sed -E 's/[0-9a-f]{6,}|[0-9]+/N/g' | cut -c1-90 | sort | uniq -c | sort -rn | head -5 | sed 's/^/  /'
echo "target: supervisor ~0 CPU when idle (compare with sleep), <= 4096 KB RSS"
