#!/usr/bin/env bash
# The whole test suite on a fresh machine: makes .venv with ansible-core (the tests run the real
# ansible-inventory), then runs cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/ansible-inventory ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check 'ansible-core>=2.16,<2.19'
fi
export CEPHSPRAY_ANSIBLE_BIN="$PWD/.venv/bin"
cargo test --all-targets "$@"
