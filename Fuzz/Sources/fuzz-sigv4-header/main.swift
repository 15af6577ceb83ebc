import AWSCore
import FuzzSupport

// SigV4 `Authorization` header parsing (what fake-ecr --auth sigv4 reads first). A refused header is a
// `SigV4Error`; an accepted one has a five-part credential scope and lowercase signed header names.
FuzzDriver.run { data in
    let value = String(decoding: data, as: UTF8.self)
    // `parse` reads the usual header in one pass and the rest the general way: both must answer alike.
    let reference = Result { try SigV4Authorization.parseGeneral(value) }
    switch (Result { try SigV4Authorization.parse(value) }, reference) {
    case (.success(let parsed), .success(let expected)) where parsed == expected: break
    case (.failure(let error as SigV4Error), .failure(let expected as SigV4Error)) where error.message == expected.message: break
    case (let parsed, let expected): FuzzDriver.fail("parse read \(value.debugDescription) as \(parsed), the general way as \(expected)")
    }
    do {
        let authorization = try SigV4Authorization.parse(value)
        if authorization.accessKeyId.isEmpty || authorization.region.isEmpty || authorization.service.isEmpty {
            FuzzDriver.fail("accepted an empty key id, region or service: \(authorization)")
        }
        if authorization.date.utf8.count != 8 { FuzzDriver.fail("accepted scope date '\(authorization.date)'") }
        if authorization.signedHeaders.isEmpty || authorization.signedHeaders.contains(where: { $0 != $0.lowercased() || $0.isEmpty }) {
            FuzzDriver.fail("accepted signed headers \(authorization.signedHeaders)")
        }
        _ = authorization.credentialScope
    } catch let error as SigV4Error {
        _ = error.description
    } catch {
        FuzzDriver.fail("SigV4Authorization.parse threw \(type(of: error)), not SigV4Error: \(error)")
    }
}
