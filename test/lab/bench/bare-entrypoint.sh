#!/bin/sh
# The bare baseline of the entrypoint benchmark (test/lab/bench/entrypoints.ts): what a person would do by
# hand, with nothing else. PID 1 of a container built from the image's rootfs (busybox sh), so it runs
# the same tailscaled the same way. Starts tailscaled in the background; on a first boot (no state yet)
# polls for its socket every 10 ms and runs `tailscale up` once with the key; on a restart tailscaled
# logs in from its state by itself. SIGTERM is passed to tailscaled, then the script exits 0.
# Environment: TS_AUTHKEY, TS_LOGIN_SERVER, TS_ROUTES, TS_HOSTNAME (the benchmark's Headscale).
state=/var/lib/tailscale
socket=/tmp/tailscaled.sock
echo 1 >/proc/sys/net/ipv4/ip_forward
tailscaled --statedir="$state" --socket="$socket" --tun=tailscale0 &
daemon=$!
trap 'kill -TERM "$daemon"; wait "$daemon"; exit 0' TERM INT
if [ ! -e "$state/tailscaled.state" ]; then
  until [ -S "$socket" ]; do sleep 0.01; done
  tailscale --socket="$socket" up --login-server="$TS_LOGIN_SERVER" --authkey="$TS_AUTHKEY" --advertise-routes="$TS_ROUTES" --hostname="$TS_HOSTNAME"
fi
wait "$daemon"
