#!/usr/bin/env bash
# Builds the container image offline with umoci (no base image download): a root holding labcheck and
# fake-ecr from the release tarball's folder, the shared libraries ldd names for them (and the dynamic
# loader), CA certificates, /etc/passwd with a non-root user (labcheck, 10001), /etc/hosts and
# nsswitch.conf; ENTRYPOINT labcheck, WORKDIR /work. Writes
#   dist/labcheck-<version>-image-oci/     (an OCI layout, tag <version>)
#   dist/labcheck-<version>-image.tar      (a docker archive: docker load -i …, tag labcheck:<version>)
# Usage: scripts/build-image.sh   (after scripts/release.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in umoci skopeo ldd; do command -v "$tool" >/dev/null || { echo "build-image: $tool is not installed" >&2; exit 1; }; done
version=$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/Checks/Results/LabCheckVersion.swift)
arch=$(uname -m)
case "$arch" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; esac
dist=${LABCHECK_DIST:-dist}
stage="$dist/labcheck-$version-linux-$arch"
[ -x "$stage/labcheck" ] || { echo "build-image: $stage/labcheck is missing: run scripts/release.sh first" >&2; exit 1; }
layout="$dist/labcheck-$version-image-oci"
archive="$dist/labcheck-$version-image.tar"
work=$(mktemp -d /tmp/labcheck-image.XXXXXX)
trap 'rm -rf "$work"' EXIT

rm -rf "$layout" "$archive"
umoci init --layout "$layout"
umoci new --image "$layout:$version"
umoci unpack --image "$layout:$version" "$work/bundle"
root="$work/bundle/rootfs"

install -d -m 0755 "$root/usr/local/bin" "$root/etc/ssl/certs" "$root/tmp" "$root/work" "$root/home/labcheck"
chmod 1777 "$root/tmp"
install -m 0755 "$stage/labcheck" "$stage/fake-ecr" "$root/usr/local/bin/"
install -m 0644 "$stage/README.md" "$stage/SHA256SUMS" "$stage/NEEDS.txt" "$root/home/labcheck/"
# Every shared library the programs load, at the path the dynamic linker looks for it.
for library in $(ldd "$stage/labcheck" "$stage/fake-ecr" | grep -v ":$" | grep -o "/[^ ]*" | sort -u); do
  install -D -m 0755 "$(readlink -f "$library")" "$root$library"
done
install -m 0644 /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/sbin/nologin\nlabcheck:x:10001:10001:labcheck:/home/labcheck:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nlabcheck:x:10001:\n' > "$root/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$root/etc/hosts"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
chown -R 10001:10001 "$root/work" "$root/home/labcheck"

umoci repack --image "$layout:$version" "$work/bundle"
umoci config --image "$layout:$version" \
  --os linux --architecture "$arch" \
  --config.user 10001:10001 --config.workingdir /work \
  --config.entrypoint /usr/local/bin/labcheck --config.cmd --help \
  --config.env PATH=/usr/local/bin:/usr/bin:/bin --config.env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
  --config.env HOME=/home/labcheck \
  --config.exposedports 5000/tcp \
  --config.label org.opencontainers.image.title=labcheck \
  --config.label org.opencontainers.image.version="$version" \
  --config.label org.opencontainers.image.description="labcheck (ENTRYPOINT) and fake-ecr (--entrypoint fake-ecr … serve)"
umoci gc --layout "$layout"
skopeo --insecure-policy copy "oci:$layout:$version" "docker-archive:$archive:labcheck:$version"
echo "== $layout ($version) and $archive (labcheck:$version)"
skopeo inspect "oci:$layout:$version" | grep -E '"Digest"|"Architecture"'
du -sh "$layout" "$archive"
