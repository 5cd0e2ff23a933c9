#!/usr/bin/env bash
# The whole test suite on a fresh machine: scripts/setup-upstream.sh extracts the pinned upstream
# trees under target/upstream, makes .venv (kubespray's requirements.txt: ansible 11.13) and
# .venv-ceph-ansible (ceph-ansible's: ansible-core 2.16 and its collections) and installs Debian's
# Ceph daemons; then cargo test runs everything, including the conformance suite (the upstream
# roles' real templates, task files and modules) and the real-Ceph test.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/setup-upstream.sh)"
cargo test --all-targets "$@"
