import HTTPTypes
import Hummingbird

/// Header names the fake reads and writes. A name that is not a valid token stays nil and
/// is skipped (none here is invalid).
enum HeaderNames {
    static let contentType = HTTPField.Name.contentType
    static let amznRequestId = HTTPField.Name("x-amzn-RequestId")
    static let amznErrorType = HTTPField.Name("x-amzn-ErrorType")
    static let amzTarget = HTTPField.Name("X-Amz-Target")
    static let authorization = HTTPField.Name.authorization
    static let amzDate = HTTPField.Name("X-Amz-Date")
    static let amzSecurityToken = HTTPField.Name("X-Amz-Security-Token")
    static let host = HTTPField.Name("Host")
}

extension HTTPFields {
    mutating func set(_ name: HTTPField.Name?, _ value: String) {
        guard let name else { return }
        self[name] = value
    }

    func value(_ name: HTTPField.Name?) -> String? {
        guard let name else { return nil }
        return self[name]
    }
}
