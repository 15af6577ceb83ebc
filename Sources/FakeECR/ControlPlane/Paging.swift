import Foundation

/// Opaque `nextToken`s: base64 of a small marker the fake understands, never shown in meaning.
enum Paging {
    static let defaultPageSize = 100

    static func token(after marker: String) -> String {
        Data(("v1|" + marker).utf8).base64EncodedString()
    }

    /// The marker a token carries; InvalidParameterException when it is not one of ours.
    static func marker(_ token: String?) throws -> String? {
        guard let token else { return nil }
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8), text.hasPrefix("v1|") else {
            throw ECRError.invalidParameter("nextToken", "'Invalid NextToken'")
        }
        return String(text.dropFirst(3))
    }

    /// A page of `items` from the offset a token carries.
    static func page<T>(_ items: [T], token: String?, maxResults: Int?) throws -> (items: ArraySlice<T>, nextToken: String?) {
        var start = 0
        if let marker = try marker(token) {
            guard let offset = Int(marker), offset >= 0, offset <= items.count else {
                throw ECRError.invalidParameter("nextToken", "'Invalid NextToken'")
            }
            start = offset
        }
        let size = maxResults ?? defaultPageSize
        let end = min(items.count, start + size)
        let next = end < items.count ? Self.token(after: String(end)) : nil
        return (items[start..<end], next)
    }
}
