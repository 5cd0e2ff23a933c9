#!/usr/bin/env bash
# The whole test suite on a fresh machine: makes .venv with Ansible (the tests run the real
# ansible-inventory, ansible-vault and ansible-playbook, and the kubernetes.core collection the
# generated ceph-csi playbook uses: the `ansible` package kubespray v2.31 pins), then cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
requirements="ansible==11.13.0"
if [ "$(cat .venv/cephspray-requirements 2>/dev/null)" != "$requirements" ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check "$requirements"
  echo "$requirements" > .venv/cephspray-requirements
fi
export CEPHSPRAY_ANSIBLE_BIN="$PWD/.venv/bin"
cargo test --all-targets "$@"
