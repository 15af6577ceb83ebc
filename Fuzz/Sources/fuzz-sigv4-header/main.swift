import AWSCore
import FuzzSupport

// SigV4 `Authorization` header parsing (what fake-ecr --auth sigv4 reads first). A refused header is a
// `SigV4Error`; an accepted one has a five-part credential scope and lowercase signed header names.
FuzzDriver.run { data in
    let value = String(decoding: data, as: UTF8.self)
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
