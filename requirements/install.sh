#!/bin/sh
# Install lock files exactly as they are written: install.sh VENV LOCK...
#
# Each lock already lists every package with its version and hashes, so pip
# is told not to resolve anything (--no-deps). Resolving would let the
# interpreter's bundled pip reach past the lock for a dependency's extra
# (justext asks for lxml[html_clean]) and refuse the newest release it finds
# as unpinned: an install that then depends on what the registry publishes
# later. `pip check` afterwards proves the locks are complete.
set -eu
venv=$1
shift
for lock in "$@"; do
    "$venv/bin/pip" install --quiet --no-deps --require-hashes -r "$lock"
done
"$venv/bin/pip" check >/dev/null || { "$venv/bin/pip" check; exit 1; }
