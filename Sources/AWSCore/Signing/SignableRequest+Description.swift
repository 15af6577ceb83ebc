import Foundation

extension SignableRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `METHOD target` with headers; the session token (header or presigned query parameter) is
    /// shown as `<redacted>` and the body only by its size, so a signed request can be logged.
    public var description: String {
        let headerText = headers.map { header in
            header.name.lowercased() == "x-amz-security-token" ? "\(header.name): <redacted>" : "\(header.name): \(header.value)"
        }.joined(separator: ", ")
        return "\(method) \(redactedTarget) [\(headerText)] (\(body.count) bytes)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["description": description])
    }

    private var redactedTarget: String {
        guard !query.isEmpty else { return path }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            pair.lowercased().hasPrefix("x-amz-security-token=") ? "X-Amz-Security-Token=<redacted>" : String(pair)
        }
        return path + "?" + pairs.joined(separator: "&")
    }
}

extension SigV4SigningProducts: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(self, children: ["description": description])
    }
}
