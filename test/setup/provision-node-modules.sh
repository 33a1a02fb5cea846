#!/usr/bin/env bash
# Installs the npm packages of package-lock.json into node_modules, unless they are already there.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
stamp=node_modules/.lock-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
command -v npm >/dev/null || { echo "npm is required (Node.js 20.19+)" >&2; exit 1; }
npm ci --no-audit --no-fund
echo "$want" >"$stamp"
