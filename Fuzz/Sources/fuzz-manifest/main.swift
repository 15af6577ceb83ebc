import FakeECR
import Foundation
import FuzzSupport

// What the fake reads from a pushed manifest (PUT /v2/<name>/manifests/<ref>, PutImage): `ManifestSummary`.
// Its digest is the SHA-256 of the bytes, its size is never negative, and no manifest crashes it.
FuzzDriver.run { data in
    let text = String(decoding: data, as: UTF8.self)
    let summary = ManifestSummary(manifest: text)
    if summary.digest != ManifestSummary.digest(of: Data(text.utf8)) { FuzzDriver.fail("digest is not of the bytes") }
    if summary.sizeInBytes < 0 { FuzzDriver.fail("negative size \(summary.sizeInBytes)") }
}
