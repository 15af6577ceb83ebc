import Foundation

/// Removes secrets from text that came from elsewhere (a service's error message, a transport error, a
/// child process's stderr) before it reaches an error, a log line or a report, and caps its length.
///
/// It removes the exact `secrets` it is given (the current request's secret access key and session token)
/// and, whatever the secrets, anything that looks like one: the values of `X-Amz-Security-Token`,
/// `X-Amz-Signature` and `X-Amz-Credential`-signed query strings, `Authorization` headers (SigV4, Basic,
/// Bearer), `Signature=` and fields named like a secret (`SecretAccessKey`, `SessionToken`, `Token`,
/// `Password`, `authorizationToken`) in JSON, XML, header and `key=value` form.
public struct SecretRedactor: Sendable {
    /// What a removed secret is replaced with.
    public static let placeholder = "<redacted>"
    /// The longest text kept (in characters); longer text is cut with a note of how much was dropped.
    public static let defaultLimit = 2000
    /// Exact values shorter than this are not searched for (they would match ordinary words).
    static let shortestSecret = 8

    public var secrets: [String]
    public var limit: Int

    public init(secrets: [String?] = [], limit: Int = Self.defaultLimit) {
        self.secrets = secrets.compactMap { $0 }.filter { $0.count >= Self.shortestSecret }
        self.limit = max(16, limit)
    }

    /// A redactor for the secret key and session token of `credentials`.
    public init(credentials: Credentials?, limit: Int = Self.defaultLimit) {
        self.init(secrets: [credentials?.secretAccessKey, credentials?.sessionToken], limit: limit)
    }

    /// `text` without secrets, at most `limit` characters long.
    public func redact(_ text: String) -> String {
        var result = text
        // Longest first, so that a token containing the secret key is removed whole.
        for secret in secrets.sorted(by: { $0.count > $1.count }) {
            result = result.replacingOccurrences(of: secret, with: Self.placeholder)
        }
        result = Self.redactPatterns(result)
        return capped(result)
    }

    /// The pattern-based part alone (no exact secrets), cut at `limit` characters.
    public static func redact(_ text: String, limit: Int = defaultLimit) -> String {
        SecretRedactor(limit: limit).redact(text)
    }

    // MARK: Patterns

    /// Field names whose values are secrets (matched without regard to case; `_`/`-` optional).
    static let secretNames = [
        "x-amz-security-token", "x-amz-signature", "secret_?access_?key", "aws_secret_access_key",
        "session_?token", "aws_session_token", "security_?token", "authorization_?token", "token", "password", "passwd",
        "signature",
    ]

    /// (regular expression, template): the template keeps the name and replaces the value.
    static let rules: [(String, String)] = {
        let names = secretNames.joined(separator: "|")
        let placeholder = NSRegularExpression.escapedTemplate(for: SecretRedactor.placeholder)
        return [
            // Authorization headers (and `Authorization=` echoes): the whole value up to the end of the line.
            (#"(?i)(\bauthorization\s*[:=]\s*)[^\r\n]+"#, "$1" + placeholder),
            // A SigV4/Basic/Bearer credential standing alone.
            (#"(?i)(\b(?:Basic|Bearer)\s+)[A-Za-z0-9+/=._~-]{8,}"#, "$1" + placeholder),
            // JSON: "SessionToken": "value"
            (#"(?i)("(?:"# + names + #")"\s*:\s*")(?:[^"\\]|\\.)*(")"#, "$1" + placeholder + "$2"),
            // XML: <SessionToken>value</SessionToken>
            (#"(?i)(<((?:"# + names + #"))>)[^<]*(</\2>)"#, "$1" + placeholder + "$3"),
            // Headers, query strings and key=value text: X-Amz-Security-Token=value, x-amz-security-token: value
            (#"(?i)(\b(?:"# + names + #")\s*(?:=|:)\s*)[^\s&,;"'<>]+"#, "$1" + placeholder),
        ]
    }()

    /// The rules compiled once: compiling them for every text was most of the CPU of `labcheck grade`
    /// (every student's report is redacted). NSRegularExpression is immutable once made (and Sendable).
    static let compiledRules: [(NSRegularExpression, String)] = rules.compactMap { pattern, template in
        (try? NSRegularExpression(pattern: pattern)).map { ($0, template) }
    }

    /// Every rule needs one of these words (each secret name contains one), matched without regard to case.
    static let triggers = ["authorization", "basic", "bearer", "token", "signature", "secret", "password", "passwd"].map { Array($0.utf8) }

    static func redactPatterns(_ text: String) -> String {
        if !mayMatch(text) { return text }
        var result = text
        for (expression, template) in compiledRules {
            let range = NSRange(result.startIndex..., in: result)
            result = expression.stringByReplacingMatches(in: result, range: range, withTemplate: template)
        }
        return result
    }

    /// False only when no rule can match: ASCII text holding none of `triggers` in any case. (Non-ASCII
    /// text always goes through the rules: Unicode case folding matches more than ASCII's, `K` for `k`.)
    static func mayMatch(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return true }
            let lower = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            return triggers.contains { trigger in
                guard lower.count >= trigger.count else { return false }
                return (0...(lower.count - trigger.count)).contains { start in
                    lower[start] == trigger[0] && lower[start..<start + trigger.count].elementsEqual(trigger)
                }
            }
        }
    }

    /// `text` cut at `limit` characters. A cut through one of `secrets` would leave its start behind, so a
    /// kept end that begins a secret (4 characters or more) goes too.
    func capped(_ text: String) -> String {
        guard text.count > limit else { return text }
        var kept = String(text.prefix(limit))
        for secret in secrets {
            let longest = min(secret.count - 1, kept.count)
            guard longest >= 4 else { continue }
            if let length = (4...longest).reversed().first(where: { kept.hasSuffix(secret.prefix($0)) }) {
                kept = String(kept.dropLast(length)) + Self.placeholder
            }
        }
        return kept + "… (\(text.count - limit) more characters)"
    }
}
