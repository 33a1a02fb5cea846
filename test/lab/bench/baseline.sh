#!/bin/sh
# Baseline of the benchmarks (test/lab/bench/README.md): the supervisor's steps done by a small sh script,
# run as root with /run a fresh tmpfs: the key on tmpfs, the ipn.ConfigVAlpha file (with AuthKey only
# while the state dir holds no login, as src/core/supervise/login/login-plan.ts does), tailscaled in its own
# session with its output relayed line by line, and `tailscale login` if a saved login turns out
# logged out (NeedsLogin).
# Usage: baseline.sh STATE_DIR SOCKET LOGIN_SERVER HOSTNAME; the key in env BENCH_KEY.
set -eu
state=$1 sock=$2 server=$3 host=$4
dir=/run/tailscale-supervisor
mkdir -m 700 "$dir"
(umask 077 && printf '%s\n' "$BENCH_KEY" >"$dir/authkey")
unset BENCH_KEY
authkey="
  \"AuthKey\": \"file:$dir/authkey\","
grep -q '"_current-profile": *"[^"]' "$state/tailscaled.state" 2>/dev/null && authkey=
cat >"$dir/tailscaled.json" <<JSON
{
  "Version": "alpha0",
  "Locked": false,
  "Enabled": true,
  "acceptDNS": false,
  "acceptRoutes": false,
  "ServerURL": "$server",$authkey
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

