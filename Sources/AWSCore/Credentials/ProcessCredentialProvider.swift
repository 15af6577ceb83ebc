import Foundation

/// Credentials printed by the profile's `credential_process` command, run through `/bin/sh -c` with a
/// deadline (`timeout`, 60 s by default: a hanging command is killed with its process group).
/// The command must print `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken": ..., "Expiration": ...}`.
/// Every call runs the command: wrap the provider in a `CachingCredentialProvider` (the default chain does)
/// to keep its answer until shortly before `Expiration` and share one run among concurrent callers.
/// Errors name the profile, the exit status and the command's stderr, never its stdout (which holds the secret).
public struct ProcessCredentialProvider: CredentialProvider {
    /// How long a `credential_process` command may run before it is killed.
    public static let defaultTimeout: TimeInterval = 60
    /// The most output read from the command (a credentials document is a few hundred bytes).
    static let outputLimit = 1 << 20

    public let name: String
    public let profileName: String
    public let timeout: TimeInterval
    private let config: AWSSharedConfig
    private let environment: [String: String]

    public init(
        profileName: String, config: AWSSharedConfig, environment: [String: String], timeout: TimeInterval = Self.defaultTimeout
    ) {
        self.profileName = profileName
        self.config = config
        self.environment = environment
        self.timeout = timeout
        self.name = "credential_process (profile '\(profileName)')"
    }

    public func credentials() async throws -> Credentials {
        guard let profile = config.profile(named: profileName) else {
            throw CredentialProviderError.notFound(provider: name, reason: "no profile '\(profileName)'")
        }
        guard let command = profile["credential_process"], !command.isEmpty else {
            throw CredentialProviderError.notFound(provider: name, reason: "profile '\(profileName)' has no credential_process")
        }
        return try await Self.run(
            command: command, environment: environment, provider: name,
            where: profile.describeLocation(of: "credential_process"), profileName: profileName, timeout: timeout)
    }

    /// Runs `command` and parses its output; shared with `source_profile` chains that end in a `credential_process`.
    static func run(
        command: String, environment: [String: String], provider: String, where location: String, profileName: String,
        timeout: TimeInterval = defaultTimeout
    ) async throws -> Credentials {
        let result: ChildProcess.Result
        do {
            result = try await ChildProcess(
                arguments: ["/bin/sh", "-c", command], environment: environment, timeout: timeout, outputLimit: outputLimit
            ).run()
        } catch {
            throw CredentialProviderError.failed(provider: provider, reason: "\(location): \(error)")
        }
        if result.timedOut {
            throw CredentialProviderError.failed(
                provider: provider,
                reason: "\(location): the command '\(shown(command))' did not finish within \(seconds(timeout)) s and was stopped")
        }
        guard result.status == 0 else {
            let stderr = result.standardErrorText.trimmingCharacters(in: .whitespacesAndNewlines)
            let tail = stderr.count > 500 ? String(stderr.suffix(500)) : stderr
            let how = result.signal.map { "was ended by signal \($0)" } ?? "exited with status \(result.status)"
            throw CredentialProviderError.failed(
                provider: provider, reason: "\(location): the command \(how)" + (tail.isEmpty ? "" : "; stderr: \(tail)"))
        }
        return try parse(output: result.standardOutput, provider: provider, where: location, profileName: profileName)
    }

    /// The command as named in errors: one line, at most 200 characters.
    static func shown(_ command: String) -> String {
        let line = command.replacingOccurrences(of: "\n", with: " ")
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }

    static func seconds(_ value: TimeInterval) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func parse(output: Data, provider: String, where location: String, profileName: String) throws -> Credentials {
        func fail(_ reason: String) -> CredentialProviderError {
            .failed(provider: provider, reason: "\(location): \(reason)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: output), let json = object as? [String: Any] else {
            throw fail("the command's output (\(output.count) bytes) is not a JSON object")
        }
        guard let version = json["Version"] else {
            throw fail("the command's JSON has no \"Version\" (expected 1)")
        }
        guard !(version is String), let number = version as? Int, number == 1 else {
            // A string Version is not shown: the output could be anything, secrets included.
            let shown = version is String ? "a string" : (version as? NSNumber).map { "\($0)" } ?? "a non-number"
            throw fail("unsupported \"Version\": expected 1, found \(shown)")
        }
        func string(_ key: String) throws -> String? {
            guard let value = json[key], !(value is NSNull) else { return nil }
            guard let text = value as? String else { throw fail("\"\(key)\" must be a string") }
            return text
        }
        guard let accessKey = try string("AccessKeyId"), !accessKey.isEmpty else {
            throw fail("the command's JSON has no \"AccessKeyId\"")
        }
        guard let secret = try string("SecretAccessKey"), !secret.isEmpty else {
            throw fail("the command's JSON has no \"SecretAccessKey\"")
        }
        var expiration: Date?
        if let text = try string("Expiration") {
            guard let date = CredentialDates.parse(text) else {
                throw fail("\"Expiration\": expected an ISO 8601 time such as 2025-01-31T12:00:00Z, found '\(text)'")
            }
            expiration = date
        }
        return Credentials(
            accessKeyId: accessKey, secretAccessKey: secret, sessionToken: try string("SessionToken"),
            expiration: expiration, source: "credential-process:\(profileName)")
    }
}
