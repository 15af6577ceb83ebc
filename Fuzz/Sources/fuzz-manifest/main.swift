import FakeECR
import Foundation
import FuzzSupport

// What the fake reads from a pushed manifest (PUT /v2/<name>/manifests/<ref>, PutImage, the pull-through
// cache, --state): `ImageManifest`, parsed once per push. No manifest crashes it, it reads as JSONDecoder reads it,
// an image's size is never negative, and every media type's shape check answers.
let mediaTypes = [
    "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json",
]

FuzzDriver.run { data in
    let manifest = ImageManifest.parse(data)
    // Read from the parsed JSON or by JSONDecoder, a manifest is the same.
    if manifest != ImageManifest.decoded(data) { FuzzDriver.fail("parse and JSONDecoder read the manifest differently") }
    guard let manifest else { return }
    let size = manifest.sizeInBytes(manifestByteCount: data.count)
    if size < 0 { FuzzDriver.fail("negative size \(size)") }
    _ = manifest.inferredMediaType
    _ = manifest.configMediaType
    _ = manifest.blobDigests
    _ = manifest.childDigests
    for type in mediaTypes { _ = manifest.shapeProblem(as: type) }
}
