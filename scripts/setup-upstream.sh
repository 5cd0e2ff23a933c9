#!/usr/bin/env bash
# Sets up what the conformance and real-Ceph tests run, idempotently (a second run only checks):
#   target/upstream/<tree>/   the pinned upstream trees, extracted from ../shared/upstream/*.tar.gz
#                             (or $CEPHSPRAY_UPSTREAM_TARBALLS); nothing of them is copied into the project
#   .venv/                    kubespray v2.31's own requirements.txt (ansible 11.13, its collections)
#   .venv-kubespray-2.30/     kubespray v2.30's own requirements.txt (ansible 10.7: ansible-core 2.17,
#                             which v2.30's ansible_version.yml requires and v2.31's .venv is not)
#   .venv-helm/               Helm's SDK (helm-python-sdk), for `helm template` of ceph-csi's charts
#   .venv-ceph-ansible/       ceph-ansible stable-9.0's and stable-8.0's requirements (the same
#                             ansible-core >=2.15,<2.17, which both branches' ceph-validate gate on):
#                             ansible-core 2.16 through the `ansible` 9.x package (ansible.utils,
#                             community.general, ansible.posix), netaddr, six (stable-8.0 only)
#   target/upstream/collections[-ceph-ansible-stable-8.0]/
#                             the openstack.config_template collection each branch pins (9.0: 3.0.1,
#                             here PyPI's newest, 2.1.1; 8.0: 1.2.1), from PyPI's ansible-config-template
#   Debian's Ceph daemons     ceph-mon, ceph-mgr, ceph-osd, ceph-mds, ceph-common (pacific), when root
# Prints the environment the tests read (CEPHSPRAY_*), one `export` per line.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# The pinned tarballs: $CEPHSPRAY_UPSTREAM_TARBALLS, else ../shared/upstream beside this
# checkout, else beside the checkout this one was cloned from (a clone made elsewhere).
tarballs=${CEPHSPRAY_UPSTREAM_TARBALLS:-$root/../shared/upstream}
if [ -z "${CEPHSPRAY_UPSTREAM_TARBALLS:-}" ] && [ ! -d "$tarballs" ]; then
  origin=$(git -C "$root" config --get remote.origin.url 2>/dev/null || true)
  if [ -n "$origin" ] && [ -d "$origin/../shared/upstream" ]; then
    tarballs=$(cd "$origin/../shared/upstream" && pwd)
  fi
fi
up=$root/target/upstream
mkdir -p "$up"
say() { echo "setup-upstream: $*" >&2; }

# 1. The pinned trees. A tree is extracted again when its tarball's commit changes.
for name in kubespray-v2.31.0 kubespray-v2.30.0 ceph-ansible-stable-9.0 ceph-ansible-stable-8.0 ceph-csi-v3.12.2; do
  tarball=$tarballs/$name.tar.gz
  if [ ! -f "$tarball" ]; then say "missing $tarball"; exit 1; fi
  commit=$(zcat "$tarball" | git get-tar-commit-id || true)
  if [ "$(cat "$up/$name.commit" 2>/dev/null)" != "$commit" ] || [ ! -d "$up/$name" ]; then
    rm -rf "${up:?}/$name"
    tar -xzf "$tarball" -C "$up"
    echo "$commit" > "$up/$name.commit"
    say "extracted $name ($commit)"
  fi
done

# 2. kubespray's Python side, one venv per release, each from that release's own requirements.txt
#    (rebuilt only when it changes).
kubespray_venv() { # VENV TREE
  local req=$up/$2/requirements.txt
  if ! cmp -s "$req" "$1/cephspray-requirements"; then
    say "building $1 from $2/requirements.txt"
    python3 -m venv "$1"
    "$1/bin/pip" install --quiet --disable-pip-version-check -r "$req"
    cp "$req" "$1/cephspray-requirements"
  fi
}
kubespray_venv .venv kubespray-v2.31.0
kubespray_venv .venv-kubespray-2.30 kubespray-v2.30.0

# 3. ceph-ansible's Python side and the collections its requirements.yml names.
ca_req="ansible==9.13.0 netaddr==1.3.0 six==1.17.0 ansible-config-template==2.1.1"
if [ "$(cat .venv-ceph-ansible/cephspray-requirements 2>/dev/null)" != "$ca_req" ]; then
  python3 -m venv .venv-ceph-ansible
  # shellcheck disable=SC2086
  .venv-ceph-ansible/bin/pip install --quiet --disable-pip-version-check $ca_req
  echo "$ca_req" > .venv-ceph-ansible/cephspray-requirements
fi
# openstack.config_template as each branch's requirements.yml pins it (a git tag), from PyPI's
# ansible-config-template of the same code: stable-8.0 pins 1.2.1, which PyPI has; stable-9.0
# pins 3.0.1, which PyPI does not have (its newest is 2.1.1, the venv's). Each branch's tests get
# their own collections directory.
config_template() { # DIR VERSION
  local ct=$1/ansible_collections/openstack/config_template
  if [ "$(sed -n 's/^version: //p' "$ct/galaxy.yml" 2>/dev/null)" != "$2" ] \
     || [ ! -f "$ct/plugins/action/config_template.py" ]; then
    local pkg
    pkg=$(mktemp -d)
    .venv-ceph-ansible/bin/pip install --quiet --disable-pip-version-check --no-deps \
      --target "$pkg" "ansible-config-template==$2"
    rm -rf "$ct"
    mkdir -p "$ct/plugins/action" "$ct/plugins/modules"
    cp "$pkg/share/ansible/plugins/action/config_template.py" "$ct/plugins/action/config_template.py"
    cp "$pkg"/share/ansible/plugins/modules/config_template* "$ct/plugins/modules/config_template.py"
    printf 'namespace: openstack\nname: config_template\nversion: %s\n' "$2" > "$ct/galaxy.yml"
    rm -rf "$pkg"
    say "laid out openstack.config_template $2 in $1"
  fi
}
config_template "$up/collections" 2.1.1                         # ceph-ansible stable-9.0
config_template "$up/collections-ceph-ansible-stable-8.0" 1.2.1  # ceph-ansible stable-8.0

# 3b. Helm, for the conformance suite's `helm template` of ceph-csi's charts (the pinned tree's
#     charts/): Helm's own Go SDK in a wheel (helm-python-sdk), no helm binary to download.
helm_req="helm-python-sdk==0.2.2"
if [ "$(cat .venv-helm/cephspray-requirements 2>/dev/null)" != "$helm_req" ]; then
  python3 -m venv .venv-helm
  .venv-helm/bin/pip install --quiet --disable-pip-version-check "$helm_req"
  echo "$helm_req" > .venv-helm/cephspray-requirements
  say "built .venv-helm ($helm_req)"
fi

# 4. A real Ceph (Debian's pacific packages) for tests/real_ceph.rs.
if ! command -v ceph-mon >/dev/null || ! command -v ceph-osd >/dev/null || ! command -v ceph-mgr >/dev/null \
   || ! command -v ceph-mds >/dev/null || ! command -v ceph >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    say "installing Debian's Ceph daemons"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      ceph-mon ceph-mgr ceph-osd ceph-mds ceph-common >/dev/null
  else
    say "not root: cannot install Debian's Ceph packages (the real-Ceph test will say so)"
  fi
fi

# 5. WireGuard (userspace: the kernel module is not needed) and nftables, for the real-packet
#    tests of the private network and the firewall (tests/realnet).
if ! command -v wg-quick >/dev/null || ! command -v wireguard-go >/dev/null || ! command -v nft >/dev/null \
   || ! command -v ip >/dev/null || ! command -v python3 >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    say "installing WireGuard (wireguard-go) and nftables"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      iproute2 wireguard-tools wireguard-go nftables python3 >/dev/null
  else
    say "not root: cannot install WireGuard and nftables (the real-network tests will say so)"
  fi
fi

# 6. etcd (Debian's etcd-server and etcd-client: etcd, etcdctl) and openssl, for the real-etcd
#    test of the scheduled snapshots (tests/etcd_backup.rs).
if ! command -v etcd >/dev/null || ! command -v etcdctl >/dev/null || ! command -v openssl >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    say "installing etcd (etcd-server, etcd-client) and openssl"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      etcd-server etcd-client openssl >/dev/null
  else
    say "not root: cannot install etcd and openssl (the etcd backup test will say so)"
  fi
fi

echo "export CEPHSPRAY_ANSIBLE_BIN=$root/.venv/bin"
echo "export CEPHSPRAY_KUBESPRAY_2_30_BIN=$root/.venv-kubespray-2.30/bin"
echo "export CEPHSPRAY_CEPH_ANSIBLE_BIN=$root/.venv-ceph-ansible/bin"
echo "export CEPHSPRAY_UPSTREAM=$up"
echo "export CEPHSPRAY_HELM_PYTHON=$root/.venv-helm/bin/python"
