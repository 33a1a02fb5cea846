#!/usr/bin/env bash
# Benchmark: what a long control-server outage costs the log (RouterOS keeps 1000 lines). Two
# Running nodes on one Headscale, the supervisor (`qjs bundle/supervisor.mjs`) and the baseline
# (test/lab/bench/baseline.sh: the same tailscaled, its output passed on line by line); then Headscale
# stops for OUTAGE_S seconds (default 300) and the lines each one printed in that window are counted.
# The baseline's count is given with and without tailscaled's [v1]/[v2] lines (the supervisor drops
# those at any time unless LOG_LEVEL=debug); the supervisor's is split into its own lines and the
# tailscaled lines it relayed.
#
#   bash test/lab/bench/outage-log-lines.sh               # OUTAGE_S=300 (~6 min)
#
# Same isolation as boot-to-running.sh. Counts, not assertions.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

OUTAGE_S=${OUTAGE_S:-300}
RUNNING_RE='Switching ipn state [A-Za-z]+ -> Running'
VERBOSE_RE='\[v[0-9]\] |\[v.JSON\]'

bench_provision
bench_isolate "$0" "$@"
bench_scratch lines
bench_start_headscale

declare -A PIDS LOGS
for variant in baseline supervisor; do
  node="$BENCH_TMP/nodes/$variant"
  mkdir -p "$node/state"
  LOGS[$variant]="$node/out.log"
  : >"${LOGS[$variant]}"
  mapfile -t env < <(bench_env)
  key=$(bench_create_key)
  if [[ $variant == supervisor ]]; then
    env -i "${env[@]}" TS_AUTHKEY="$key" TS_LOGIN_SERVER="$HS_URL" TS_USERSPACE=true TS_PORT=0 \
      TS_NETFILTER_MODE=off TS_STATE_DIR="$node/state" TS_SOCKET="$node/sock" TS_HOSTNAME="bench-lines-sup" LOG_LEVEL=info \
      "${BENCH_TMPFS_RUN[@]}" "$QJS" "$BUNDLE" >>"${LOGS[$variant]}" 2>&1 &
  else
    env -i "${env[@]}" BENCH_KEY="$key" \
      "${BENCH_TMPFS_RUN[@]}" "$here/baseline.sh" "$node/state" "$node/sock" "$HS_URL" "bench-lines-base" >>"${LOGS[$variant]}" 2>&1 &
  fi
  PIDS[$variant]=$!
  bench_track "${PIDS[$variant]}"
done

echo "outage-log-lines: Headscale down ${OUTAGE_S} s under two Running nodes; $(bench_machine)"
bench_subject
for variant in baseline supervisor; do
  bench_wait_for "${LOGS[$variant]}" "$RUNNING_RE" 60 || { echo "$variant: no Running within 60 s" >&2; tail -20 "${LOGS[$variant]}" >&2; exit 1; }
done
sleep 10
declare -A FROM
for variant in baseline supervisor; do FROM[$variant]=$(wc -l <"${LOGS[$variant]}"); done
bench_stop_headscale
# The outage is the scenario's parameter, not a wait for something.
sleep "$OUTAGE_S"
window() { tail -n +"$((FROM[$1] + 1))" "${LOGS[$1]}" | head -n "$2"; }
declare -A TO
for variant in baseline supervisor; do TO[$variant]=$(($(wc -l <"${LOGS[$variant]}") - FROM[$variant])); done

base_all=${TO[baseline]}
base_plain=$(window baseline "$base_all" | grep -aEvc -- "$VERBOSE_RE" || true)
sup_all=${TO[supervisor]}
sup_own=$(window supervisor "$sup_all" | grep -ac '^[A-Z]* supervisor: ' || true)
sup_relayed=$(window supervisor "$sup_all" | grep -ac '^[A-Z]* tailscaled: ' || true)
per_hour() { awk -v n="$1" -v s="$OUTAGE_S" 'BEGIN { printf "%.0f", n * 3600 / s }'; }

echo
echo "== lines printed during the ${OUTAGE_S} s outage (per hour at that rate)"
printf '%-44s %8s %10s\n' what lines per-hour
printf '%-44s %8d %10s\n' "baseline: tailscaled, all lines" "$base_all" "$(per_hour "$base_all")"
printf '%-44s %8d %10s\n' "baseline: tailscaled, without [v1]/[v2]" "$base_plain" "$(per_hour "$base_plain")"
printf '%-44s %8d %10s\n' "supervisor: all lines" "$sup_all" "$(per_hour "$sup_all")"
printf '%-44s %8d %10s\n' "supervisor: its own (warnings, reminders)" "$sup_own" "$(per_hour "$sup_own")"
printf '%-44s %8d %10s\n' "supervisor: tailscaled's lines relayed" "$sup_relayed" "$(per_hour "$sup_relayed")"
awk -v b="$base_plain" -v s="$sup_all" 'BEGIN { printf "supervisor / baseline without [vN]: %.2f\n", (b > 0 ? s / b : 0) }'
echo
echo "the supervisor's own lines in the window:"
window supervisor "$sup_all" | grep -a '^[A-Z]* supervisor: ' | cut -c1-200
