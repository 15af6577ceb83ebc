#!/usr/bin/env python3
"""Writes the bench image as an OCI image layout: LAYERS layers of LAYER_MIB MiB each, every layer a
gzip'd tar (mtime 0, fixed owners) holding one file of seeded pseudo-random (incompressible) bytes,
tagged `bench`. Same arguments, same digests.
    make_image.py OUTPUT_DIR [LAYERS] [LAYER_MIB]   (default 5 x 10 MiB)
"""
import gzip, hashlib, io, json, os, random, sys, tarfile

out = sys.argv[1]
layers = int(sys.argv[2]) if len(sys.argv) > 2 else 5
layer_mib = int(sys.argv[3]) if len(sys.argv) > 3 else 10
blobs = os.path.join(out, "blobs", "sha256")
os.makedirs(blobs, exist_ok=True)


def put(data: bytes) -> dict:
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


descriptors, diff_ids = [], []
for n in range(layers):
    payload = random.Random(f"labcheck-registry-throughput-{n}").randbytes(layer_mib << 20)
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(f"bench/layer-{n}.bin")
        info.size, info.mtime, info.mode, info.uid, info.gid = len(payload), 0, 0o644, 0, 0
        tar.addfile(info, io.BytesIO(payload))
    raw = tar_bytes.getvalue()
    diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
    descriptors.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **put(gzip.compress(raw, compresslevel=1, mtime=0))})

config = {"architecture": "amd64", "os": "linux", "created": "2025-01-01T00:00:00Z", "config": {},
          "rootfs": {"type": "layers", "diff_ids": diff_ids}}
config_desc = {"mediaType": "application/vnd.oci.image.config.v1+json", **put(json.dumps(config, sort_keys=True).encode())}
manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": config_desc, "layers": descriptors}
manifest_desc = {"mediaType": "application/vnd.oci.image.manifest.v1+json", **put(json.dumps(manifest, sort_keys=True).encode()),
                 "annotations": {"org.opencontainers.image.ref.name": "bench"}}
with open(os.path.join(out, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [manifest_desc]}, f)
with open(os.path.join(out, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
total = sum(d["size"] for d in descriptors) + config_desc["size"] + manifest_desc["size"]
print(total)
