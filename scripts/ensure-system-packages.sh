#!/usr/bin/env bash
# Install the Debian packages the project needs when they are missing: gettext (compilemessages)
# and, with --browser, chromium (browser tests drive /usr/bin/chromium, never a downloaded one);
# with --bench, wrk (the load generator of `make bench-load`).
set -euo pipefail
need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v pg_isready >/dev/null 2>&1 || need+=(postgresql-client)
if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then need+=(chromium); fi
if [ "${1:-}" = "--bench" ] && ! command -v wrk >/dev/null 2>&1; then need+=(wrk); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing missing system packages: ${need[*]}"
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
