/// Keeps secrets out of reports even if evidence recorded one by mistake.
enum Redaction {
    static let placeholder = "[redacted]"

    /// Parts of an evidence key that mark its value as a secret.
    private static let secretKeyParts = [
        "secret", "password", "passwd", "sessiontoken", "session_token", "authorizationtoken",
        "authorization", "credential", "privatekey", "private_key", "apikey", "api_key",
    ]

    static func isSecretKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        if lowered == "token" || lowered.hasSuffix("token") && !lowered.hasSuffix("tokencount") { return true }
        return secretKeyParts.contains { lowered.contains($0) }
    }

    /// `observed` with the values of secret-looking keys replaced.
    static func observed(_ observed: [String: String]) -> [String: String] {
        guard observed.keys.contains(where: isSecretKey) else { return observed }
        var copy = observed
        for key in observed.keys where isSecretKey(key) { copy[key] = placeholder }
        return copy
    }
}
