#!/usr/bin/env bash
# Tests the release artifacts where there is no Swift (not part of `swift test` or .ci/run: it needs
# the release build of scripts/release.sh, ~7 minutes on 2 cores, and root).
#   tarball: checksums verify; ldd shows no Swift runtime library; unpacked into a minimal Debian root
#            (debootstrap --variant=minbase, made once into $LABCHECK_TEST_ROOT), `fake-ecr serve` and
#            `labcheck check` against it, `labcheck demo` and `--version` all run there (chroot).
#   image:   (scripts/build-image.sh first; skipped with --no-image) a docker daemon of this script's
#            own (vfs storage, no bridge or iptables, its own data root and socket) loads the image;
#            `docker run --network none` runs `labcheck --version`, and `fake-ecr serve` with a
#            `labcheck check` against it in the same container; the image is pushed into a fake-ecr
#            with skopeo and pulled back with identical digests.
# Usage: sudo scripts/test-release.sh [--no-image | --image-only]
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/Checks/Results/LabCheckVersion.swift)
arch=$(uname -m)
case "$arch" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; esac
dist=${LABCHECK_DIST:-dist}
name="labcheck-$version-linux-$arch"
debian=${LABCHECK_TEST_ROOT:-/tmp/labcheck-debian-root}
suite=${LABCHECK_TEST_SUITE:-bookworm}
work=$(mktemp -d /tmp/lcr.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  umount "$debian/proc" 2>/dev/null || true
  rm -rf "$work" "$debian/opt/labcheck" "$debian/tmp/labcheck-test"
}
trap cleanup EXIT
fail() { echo "test-release: FAILED: $*" >&2; exit 1; }
step() { echo "== $*"; }

# fake-ecr's port, once it says where it listens (log file, seconds).
listening_port() {
  for _ in $(seq $(( $2 * 10 ))); do
    port=$(sed -n 's/^fake-ecr listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$1")
    [ -n "$port" ] && { echo "$port"; return 0; }
    sleep 0.1
  done
  cat "$1" >&2; return 1
}

if [ "${1:-}" != "--image-only" ]; then
step "tarball: $dist/$name.tar.gz"
(cd "$dist" && sha256sum -c "$name.tar.gz.sha256") || fail "the tarball's checksum"
tar -xzf "$dist/$name.tar.gz" -C "$work"
(cd "$work/$name" && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS inside the tarball"
if ldd "$work/$name/labcheck" "$work/$name/fake-ecr" | grep -E 'libswift|libFoundation|libdispatch'; then fail "a Swift runtime library is linked"; fi
ls -l "$work/$name/labcheck" "$work/$name/fake-ecr" | awk '{ printf "  %s: %d bytes\n", $9, $5 }'

if [ ! -x "$debian/bin/sh" ]; then
  step "making a minimal Debian root ($suite, minbase) in $debian"
  command -v debootstrap >/dev/null || fail "debootstrap is not installed (apt-get install debootstrap)"
  debootstrap --variant=minbase "$suite" "$debian" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail "$work/debootstrap.log"; fail "debootstrap"; }
fi
if chroot "$debian" /bin/sh -c 'ls /usr/lib/swift /usr/bin/swift* 2>/dev/null' | grep . >/dev/null; then fail "the Debian root has Swift"; fi
rm -rf "$debian/opt/labcheck"; mkdir -p "$debian/opt/labcheck" "$debian/tmp/labcheck-test"
tar -xzf "$dist/$name.tar.gz" -C "$debian/opt/labcheck" --strip-components=1
cp fixtures/states/complete.json "$debian/tmp/labcheck-test/complete.json"
mountpoint -q "$debian/proc" || mount -t proc proc "$debian/proc"
inroot() { chroot "$debian" /usr/bin/env -i PATH=/opt/labcheck:/usr/bin:/bin HOME=/tmp/labcheck-test LANG=C.UTF-8 "$@"; }

# What a minimal system lacks, from the dynamic linker's view; then the Debian packages README names.
step "in the Debian root: libraries not there in minbase"
missing=$(inroot ldd /opt/labcheck/labcheck /opt/labcheck/fake-ecr | grep "not found" | sort -u || true)
echo "${missing:-  (none)}"
packages=${LABCHECK_TEST_PACKAGES:-libxml2 libsqlite3-0}
if [ -n "$missing" ]; then
  step "in the Debian root: apt-get install $packages"
  cp /etc/resolv.conf "$debian/etc/resolv.conf"
  inroot sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages" >"$work/apt.log" 2>&1 \
    || { tail "$work/apt.log"; fail "apt-get install $packages in the Debian root"; }
fi
missing=$(inroot ldd /opt/labcheck/labcheck /opt/labcheck/fake-ecr | grep "not found" || true)
[ -z "$missing" ] || fail "libraries still missing after $packages: $missing"
step "in the Debian root: labcheck --version"
inroot /opt/labcheck/labcheck --version | tee "$work/version.txt"
grep -q "^labcheck $version$" "$work/version.txt" || fail "--version"
step "in the Debian root: fake-ecr serve, and labcheck check against it (no --checks)"
# chroot itself in the background (not the inroot function, whose subshell would be the pid killed).
chroot "$debian" /usr/bin/env -i PATH=/opt/labcheck:/usr/bin:/bin HOME=/tmp/labcheck-test LANG=C.UTF-8 \
  /opt/labcheck/fake-ecr serve --port 0 --state /tmp/labcheck-test/complete.json --default-account 539666729110 \
  >"$work/fake-root.log" 2>&1 &
pids+=($!)
port=$(listening_port "$work/fake-root.log" 30) || fail "fake-ecr serve in the Debian root"
set +e
inroot AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=not-a-secret AWS_REGION=ap-northeast-1 \
  AWS_EC2_METADATA_DISABLED=true sh -c "cd /tmp/labcheck-test && labcheck check --phase build --endpoint-url http://127.0.0.1:$port --lang en" \
  >"$work/check.txt" 2>&1
status=$?
set -e
cat "$work/check.txt"
[ $status -eq 0 ] || fail "labcheck check in the Debian root exited $status"
grep -q "Score: 75/75 (100.0%)" "$work/check.txt" || fail "the score of the complete state"
[ -f "$debian/tmp/labcheck-test/reports/junit.xml" ] || fail "no reports written"
step "in the Debian root: labcheck demo"
inroot sh -c "cd /tmp && labcheck demo --lang en --output /tmp/labcheck-test/demo" >"$work/demo.txt" 2>&1 || { cat "$work/demo.txt"; fail "demo"; }
grep -q "Score: 50/100 (50.0%)" "$work/demo.txt" || { cat "$work/demo.txt"; fail "demo's score"; }
echo "tarball: passed"
fi

[ "${1:-}" = "--no-image" ] && exit 0

layout="$dist/labcheck-$version-image-oci"
archive="$dist/labcheck-$version-image.tar"
[ -f "$archive" ] || fail "$archive is missing: run scripts/build-image.sh"
command -v dockerd >/dev/null || fail "dockerd is not installed (apt-get install docker.io)"
step "image: a docker daemon of our own"
daemon="$work/docker"
mkdir -p "$daemon/data" "$daemon/exec"
dockerd --storage-driver vfs --bridge=none --iptables=false --ip6tables=false \
  --data-root "$daemon/data" --exec-root "$daemon/exec" --pidfile "$daemon/docker.pid" \
  --host "unix://$daemon/docker.sock" >"$work/dockerd.log" 2>&1 &
pids+=($!)
export DOCKER_HOST="unix://$daemon/docker.sock"
for _ in $(seq 300); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
docker version >/dev/null 2>&1 || { tail -20 "$work/dockerd.log"; fail "dockerd did not start"; }
docker load -i "$archive"
step "image: docker run --network none labcheck:$version --version"
docker run --rm --network none "labcheck:$version" --version | tee "$work/image-version.txt"
grep -q "^labcheck $version$" "$work/image-version.txt" || fail "--version in the image"
step "image: fake-ecr serve in a container, labcheck check against it there"
container=$(docker run -d --network none --entrypoint fake-ecr "labcheck:$version" serve --port 5000 --default-account 539666729110)
for _ in $(seq 100); do docker logs "$container" 2>&1 | grep "listening on" >/dev/null && break; sleep 0.1; done
docker logs "$container" 2>&1 | grep "listening on" || fail "fake-ecr serve in the image"
set +e
docker exec -e AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE -e AWS_SECRET_ACCESS_KEY=not-a-secret -e AWS_REGION=ap-northeast-1 \
  "$container" labcheck check --phase build --endpoint-url http://127.0.0.1:5000 --lang en >"$work/image-check.txt" 2>&1
status=$?
set -e
docker rm -f "$container" >/dev/null
cat "$work/image-check.txt"
[ $status -eq 1 ] || fail "labcheck check of an empty fake should exit 1, not $status"
grep -q "Next step: repo-aws-lbc" "$work/image-check.txt" || fail "the check in the image"
docker run --rm --network none --entrypoint id "labcheck:$version" 2>/dev/null | grep 10001 >/dev/null \
  || docker image inspect -f '{{.Config.User}}' "labcheck:$version" | grep "^10001" >/dev/null || fail "the image's user is not 10001"

step "image: pushed into a fake-ecr with skopeo and pulled back"
"$dist/$name/fake-ecr" serve --port 0 >"$work/fake-push.log" 2>&1 &
pids+=($!)
port=$(listening_port "$work/fake-push.log" 30) || fail "fake-ecr for the push"
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=not-a-secret AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
aws ecr create-repository --repository-name labcheck >/dev/null
password=$(aws ecr get-login-password)
remote="docker://127.0.0.1:$port/labcheck:$version"
skopeo --insecure-policy copy --dest-creds "AWS:$password" --dest-tls-verify=false "oci:$layout:$version" "$remote"
skopeo --insecure-policy copy --src-creds "AWS:$password" --src-tls-verify=false "$remote" "oci:$work/pulled:$version"
local_digest=$(skopeo inspect --raw "oci:$layout:$version" | sha256sum | cut -d' ' -f1)
remote_digest=$(skopeo inspect --raw --creds "AWS:$password" --tls-verify=false "$remote" | sha256sum | cut -d' ' -f1)
pulled_digest=$(skopeo inspect --raw "oci:$work/pulled:$version" | sha256sum | cut -d' ' -f1)
ecr_digest=$(aws ecr describe-images --repository-name labcheck --query 'imageDetails[0].imageDigest' --output text)
echo "  built  sha256:$local_digest"; echo "  pushed sha256:$remote_digest (ECR: $ecr_digest)"; echo "  pulled sha256:$pulled_digest"
[ "$local_digest" = "$remote_digest" ] && [ "$remote_digest" = "$pulled_digest" ] && [ "sha256:$local_digest" = "$ecr_digest" ] \
  || fail "the digests differ"
echo "image: passed"
