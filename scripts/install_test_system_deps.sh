#!/usr/bin/env bash
# Install Debian's chromium and postgresql for the browser and PostgreSQL tests, when missing
# and when we run as root. Otherwise say what is missing: those tests then skip (fail under CI).
set -uo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
  || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages for the tests: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || echo "warning: could not install ${missing[*]}; those tests will be skipped" >&2
else
  echo "note: ${missing[*]} not installed and not root: the tests that need them will be skipped." >&2
  echo "      install with: sudo apt-get install ${missing[*]}" >&2
fi
exit 0
