#!/usr/bin/env bash
# binfmt_misc entries for running the arm64 and armv7 images under qemu-user (Debian's
# qemu-user-static), shared safely by concurrent test runs on this machine:
#   qemu-binfmt.sh acquire ID   register what is missing (flag F: the interpreter is opened now, so it
#                               works inside containers), then count ID as a user
#   qemu-binfmt.sh release ID   drop ID; when no live user is left, remove the entries THIS script
#                               registered (entries someone else registered are never touched)
# The registry is host-global, so every step runs under one lock; users are processes (pid and start
# time, so a reused pid does not count), and a user whose process is gone no longer counts (a killed
# run cannot pin the entries forever).
set -euo pipefail
action=${1:?usage: qemu-binfmt.sh acquire|release ID} id=${2:?usage: qemu-binfmt.sh acquire|release ID}
state=/run/ts-supervisor-binfmt
binfmt=/proc/sys/fs/binfmt_misc
mkdir -p "$state/users" "$state/ours"
exec 9>"$state/lock"
flock -w 60 9

# name magic mask interpreter
ENTRIES=(
  "ts-qemu-aarch64 \\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00 \\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff /usr/bin/qemu-aarch64-static"
  "ts-qemu-arm \\x7fELF\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x28\\x00 \\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff /usr/bin/qemu-arm-static"
)

# Whether any registered, enabled entry already runs this interpreter's ELF machine with flag F.
handled_elsewhere() {
  local interpreter=$1 file
  for file in "$binfmt"/*; do
    [[ -f $file && $(basename "$file") != register && $(basename "$file") != status ]] || continue
    grep -q '^enabled' "$file" && grep -q "^interpreter $interpreter\$" "$file" && grep -q '^flags: .*F' "$file" && return 0
  done
  return 1
}

# start_time PID: the process's start time (field 22 of /proc/PID/stat), empty when it is gone.
start_time() { [[ -r /proc/$1/stat ]] && sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f20; }

live_users() {
  local user count=0 pid started
  for user in "$state/users"/*; do
    [[ -e $user ]] || continue
    read -r pid started <"$user" || true
    if [[ -n $pid && -n $started && $(start_time "$pid") == "$started" ]]; then count=$((count + 1)); else rm -f "$user"; fi
  done
  echo "$count"
}

case $action in
  acquire)
    [[ -e $binfmt/register ]] || mount -t binfmt_misc binfmt_misc "$binfmt"
    for entry in "${ENTRIES[@]}"; do
      read -r name magic mask interpreter <<<"$entry"
      [[ -x $interpreter ]] || { echo "qemu-binfmt: $interpreter missing (qemu-user-static)" >&2; exit 1; }
      [[ -e $binfmt/$name ]] && continue
      handled_elsewhere "$interpreter" && continue
      printf ':%s:M::%s:%s:%s:F' "$name" "$magic" "$mask" "$interpreter" >"$binfmt/register"
      touch "$state/ours/$name"
    done
    # The caller's process (the test process) is the user: alive while the tests run.
    user_pid=${QEMU_BINFMT_PID:-$PPID}
    echo "$user_pid $(start_time "$user_pid")" >"$state/users/$id"
    ;;
  release)
    rm -f "$state/users/$id"
    if [[ $(live_users) == 0 ]]; then
      for mine in "$state/ours"/*; do
        [[ -e $mine ]] || continue
        name=$(basename "$mine")
        [[ -e $binfmt/$name ]] && echo -1 >"$binfmt/$name"
        rm -f "$mine"
      done
    fi
    ;;
  *) echo "qemu-binfmt: unknown action $action" >&2; exit 2 ;;
esac
