#!/usr/bin/env bash
# Makes sure this shell has Node >= 22.18 and pnpm 12, without touching the system installation.
#
#   source scripts/bootstrap.sh      # puts the tools first on PATH for this shell
#
# When the machine's node is older than 22.18, Node 24 comes from the npm package `node` (it ships
# the binary) into a cache folder outside the repository. pnpm 12 comes from npm when it is missing
# or another major (corepack cannot verify registry signatures on some machines, so it is not used).
# Idempotent: a second run finds both in the cache and returns in well under a second.

BEZZIE_TOOLCHAIN_DIR="${BEZZIE_TOOLCHAIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bezzie-toolchain}"
BEZZIE_PNPM_VERSION="${BEZZIE_PNPM_VERSION:-12.21.0}"

# Node 22.18 is the first 22.x that runs .ts files by type stripping without a flag (the dev CLIs
# do); prints 1 when the node on PATH is at least that.
_bezzie_node_ok() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'const [a, b] = process.versions.node.split(".").map(Number); a > 22 || (a === 22 && b >= 18) ? 1 : 0' 2>/dev/null || echo 0
}

# The workspace needs pnpm 12 (allowBuilds, pmOnFail in pnpm-workspace.yaml); prints its major.
_bezzie_pnpm_major() {
  command -v pnpm >/dev/null 2>&1 || { echo 0; return; }
  pnpm --version 2>/dev/null | cut -d. -f1 || echo 0
}

_bezzie_bootstrap() {
  mkdir -p "$BEZZIE_TOOLCHAIN_DIR" || return 1
  local node_bin="$BEZZIE_TOOLCHAIN_DIR/node24/node_modules/node/bin"
  if [ "$(_bezzie_node_ok)" != 1 ]; then
    if [ ! -x "$node_bin/node" ]; then
      echo "bootstrap: node $(node --version 2>/dev/null || echo missing) is older than 22.18; installing Node 24 into $BEZZIE_TOOLCHAIN_DIR" >&2
      command -v npm >/dev/null 2>&1 || { echo "bootstrap: npm is required to install Node 24" >&2; return 1; }
      npm install --silent --no-fund --no-audit --prefix "$BEZZIE_TOOLCHAIN_DIR/node24" node@24 >&2 || return 1
    fi
    export PATH="$node_bin:$PATH"
  fi
  local pnpm_bin="$BEZZIE_TOOLCHAIN_DIR/pnpm/bin"
  if [ -x "$pnpm_bin/pnpm" ]; then
    export PATH="$pnpm_bin:$PATH"
  elif [ "$(_bezzie_pnpm_major)" != 12 ]; then
    echo "bootstrap: installing pnpm@$BEZZIE_PNPM_VERSION into $BEZZIE_TOOLCHAIN_DIR" >&2
    npm install --silent --no-fund --no-audit -g --prefix "$BEZZIE_TOOLCHAIN_DIR/pnpm" "pnpm@$BEZZIE_PNPM_VERSION" >&2 || return 1
    export PATH="$pnpm_bin:$PATH"
  fi
  echo "bootstrap: node $(node --version), pnpm $(pnpm --version)" >&2
}

_bezzie_bootstrap
