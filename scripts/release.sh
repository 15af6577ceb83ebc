#!/usr/bin/env bash
# Builds the release tarball students and CI download:
#   dist/labcheck-<version>-linux-<arch>.tar.gz  (labcheck, fake-ecr, README.md, licences, SHA256SUMS)
#   dist/labcheck-<version>-linux-<arch>.tar.gz.sha256
# Both programs are built in release mode with the Swift runtime and Foundation linked statically
# (--static-swift-stdlib) and stripped; what they still need from the system is printed from ldd
# (README: "Installing a release"). The build goes to its own scratch folder, never .build/.
#
# Usage: scripts/release.sh            build, then package
#        scripts/release.sh --package  package binaries already built in the scratch folder
# Environment: LABCHECK_RELEASE_SCRATCH (default .build-release), LABCHECK_DIST (default dist).
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/Checks/Results/LabCheckVersion.swift)
[ -n "$version" ] || { echo "release: no version in Sources/Checks/Results/LabCheckVersion.swift" >&2; exit 1; }
arch=$(uname -m)
case "$arch" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; esac
scratch=${LABCHECK_RELEASE_SCRATCH:-.build-release}
dist=${LABCHECK_DIST:-dist}
name="labcheck-$version-linux-$arch"
build=(swift build -c release --static-swift-stdlib --scratch-path "$scratch")

# The built-in lab must be the checkout's (BuiltInLabTests checks the same in the test run).
scripts/embed-lab.py --check

if [ "${1:-}" != "--package" ]; then
  echo "== building labcheck and fake-ecr (release, static Swift runtime) into $scratch"
  "${build[@]}" --product labcheck
  "${build[@]}" --product fake-ecr
fi
bin=$("${build[@]}" --show-bin-path)

stage="$dist/$name"
rm -rf "$stage" "$dist/$name.tar.gz" "$dist/$name.tar.gz.sha256"
mkdir -p "$stage/licenses"
for program in labcheck fake-ecr; do
  [ -x "$bin/$program" ] || { echo "release: $bin/$program is not built (run without --package)" >&2; exit 1; }
  cp "$bin/$program" "$stage/$program"
  strip "$stage/$program"
done

# Statically linked code brings its licence with it: each package dependency's, and Swift's.
cp README.md "$stage/README.md"
[ -f LICENSE ] && cp LICENSE "$stage/LICENSE"
for checkout in "$scratch"/checkouts/*; do
  for file in "$checkout"/LICENSE* "$checkout"/COPYING*; do
    [ -f "$file" ] && cp "$file" "$stage/licenses/$(basename "$checkout").$(basename "$file")"
  done
done
toolchain=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
for file in "$toolchain"/share/swift/LICENSE.txt "$toolchain"/share/doc/swift/LICENSE.txt; do
  [ -f "$file" ] && cp "$file" "$stage/licenses/swift.LICENSE.txt" && break
done

# What the programs need from the target system, as the dynamic linker sees it.
{
  echo "# Shared libraries labcheck and fake-ecr load (ldd on the build machine); no Swift runtime among them."
  for program in labcheck fake-ecr; do
    echo "$program:"
    ldd "$stage/$program" | sed 's/ (0x[0-9a-f]*)//; s/^\s*/  /'
  done
  echo "glibc symbol versions required (highest): $(objdump -T "$stage/labcheck" "$stage/fake-ecr" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)"
} > "$stage/NEEDS.txt"
if ldd "$stage/labcheck" "$stage/fake-ecr" | grep -q 'libswift\|libFoundation\|libdispatch'; then
  echo "release: a Swift runtime library is still linked dynamically:" >&2
  ldd "$stage/labcheck" "$stage/fake-ecr" | grep 'libswift\|libFoundation\|libdispatch' >&2
  exit 1
fi

(cd "$stage" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)
# Reproducible archive: fixed owner, order and times.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00:00Z' \
  -C "$dist" -czf "$dist/$name.tar.gz" "$name"
(cd "$dist" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")

echo "== $dist/$name.tar.gz"
ls -l "$stage/labcheck" "$stage/fake-ecr" "$dist/$name.tar.gz" | awk '{ printf "%10d  %s\n", $5, $9 }'
cat "$stage/NEEDS.txt"
