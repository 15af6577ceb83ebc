#!/bin/sh
# Builds the tiny upstream images that stand in for the lab's public images, as OCI image
# layouts under fixtures/upstream/<registry host>/, reproducibly: fixed file contents, mtimes,
# owners, creation dates and no history, so every run yields the same digests. The digests are
# written to fixtures/upstream/DIGESTS.txt.
#
#   public.ecr.aws/eks/aws-load-balancer-controller:v2.9.2   (linux/amd64 image)
#   registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.0   (linux/amd64 image)
#   public.ecr.aws/nginx/nginx:1.27                          (OCI index: linux/amd64 + linux/arm64)
#
# Needs: umoci, GNU tar, sha256sum, jq. Usage: scripts/build-upstream-images.sh [OUTPUT_DIR]
set -eu

cd "$(dirname "$0")/.."
out="${1:-fixtures/upstream}"
for tool in umoci tar sha256sum jq; do
    command -v "$tool" >/dev/null 2>&1 || { echo "build-upstream-images.sh: $tool is required (apt-get install -y umoci tar coreutils jq)" >&2; exit 2; }
done

created="2025-01-01T00:00:00Z"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT INT TERM

# layer_tar NAME TEXT: a tar holding etc/labcheck-fixture with TEXT, with fixed metadata.
layer_tar() {
    root="$work/rootfs-$1"
    mkdir -p "$root/etc"
    printf '%s\n' "$2" > "$root/etc/labcheck-fixture"
    tar --create --file "$work/$1.tar" --directory "$root" --sort=name --format=posix \
        --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
        --mtime="$created" --owner=0 --group=0 --numeric-owner --mode='u=rwX,go=rX' etc
}

# image LAYOUT REF ARCH TEXT: a one-layer image tagged REF in LAYOUT.
image() {
    layout="$1"; ref="$2"; arch="$3"; text="$4"
    name="$(printf '%s' "$ref-$arch" | tr '/:' '__')"
    layer_tar "$name" "$text"
    umoci new --image "$layout:$ref"
    umoci raw add-layer --image "$layout:$ref" --history.created "$created" --history.created_by "ADD labcheck-fixture /etc/" "$work/$name.tar"
    umoci config --no-history --image "$layout:$ref" --created "$created" --os linux --architecture "$arch" \
        --config.cmd /bin/sh --config.cmd -c --config.cmd "cat /etc/labcheck-fixture"
}

# descriptor LAYOUT REF: the index.json entry of REF, without its annotations.
descriptor() {
    jq -c --arg ref "$2" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $ref) | {mediaType, digest, size}' "$1/index.json"
}

rm -rf "$out/public.ecr.aws" "$out/registry.k8s.io"
mkdir -p "$out"

public="$out/public.ecr.aws"
umoci init --layout "$public"
image "$public" eks/aws-load-balancer-controller:v2.9.2 amd64 "public.ecr.aws/eks/aws-load-balancer-controller:v2.9.2 (LabCheck fixture)"
image "$public" nginx-amd64 amd64 "public.ecr.aws/nginx/nginx:1.27 linux/amd64 (LabCheck fixture)"
image "$public" nginx-arm64 arm64 "public.ecr.aws/nginx/nginx:1.27 linux/arm64 (LabCheck fixture)"
umoci gc --layout "$public"

# nginx/nginx:1.27 as an OCI index of the two platform images.
amd64="$(descriptor "$public" nginx-amd64)"
arm64="$(descriptor "$public" nginx-arm64)"
jq -c -n --argjson amd64 "$amd64" --argjson arm64 "$arm64" '{
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [
        ($amd64 + {platform: {architecture: "amd64", os: "linux"}}),
        ($arm64 + {platform: {architecture: "arm64", os: "linux"}})
    ]
}' | tr -d '\n' > "$work/index-blob.json"
hex="$(sha256sum "$work/index-blob.json" | cut -d' ' -f1)"
size="$(wc -c < "$work/index-blob.json" | tr -d ' ')"
cp "$work/index-blob.json" "$public/blobs/sha256/$hex"
jq -c --arg digest "sha256:$hex" --argjson size "$size" '
    .manifests |= ([.[] | select(.annotations["org.opencontainers.image.ref.name"] | test("^nginx-") | not)]
        + [{mediaType: "application/vnd.oci.image.index.v1+json", digest: $digest, size: $size,
            annotations: {"org.opencontainers.image.ref.name": "nginx/nginx:1.27"}}])
    | .manifests |= sort_by(.annotations["org.opencontainers.image.ref.name"])' \
    "$public/index.json" > "$work/index.json"
mv "$work/index.json" "$public/index.json"

k8s="$out/registry.k8s.io"
umoci init --layout "$k8s"
image "$k8s" autoscaling/cluster-autoscaler:v1.32.0 amd64 "registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.0 (LabCheck fixture)"
umoci gc --layout "$k8s"

chmod -R u=rwX,go=rX "$out/public.ecr.aws" "$out/registry.k8s.io"

{
    echo "# Digests of the fixture upstream images (scripts/build-upstream-images.sh; must not change between runs)."
    for entry in "public.ecr.aws eks/aws-load-balancer-controller:v2.9.2" "public.ecr.aws nginx/nginx:1.27" \
        "registry.k8s.io autoscaling/cluster-autoscaler:v1.32.0"; do
        set -- $entry
        echo "$1/$2 $(descriptor "$out/$1" "$2" | jq -r .digest)"
    done
    echo "public.ecr.aws/nginx/nginx:1.27 linux/amd64 $(printf '%s' "$amd64" | jq -r .digest)"
    echo "public.ecr.aws/nginx/nginx:1.27 linux/arm64 $(printf '%s' "$arm64" | jq -r .digest)"
} > "$out/DIGESTS.txt"
cat "$out/DIGESTS.txt"
