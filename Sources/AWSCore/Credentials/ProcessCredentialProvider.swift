import Foundation

/// Credentials printed by the profile's `credential_process` command, run through `/bin/sh -c`.
/// The command must print `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken": ..., "Expiration": ...}`.
/// Results with an `Expiration` are cached until 5 minutes before it; results without one are kept.
/// Errors name the profile, the exit status and the command's stderr, never its stdout (which holds the secret).
public actor ProcessCredentialProvider: CredentialProvider {
    public nonisolated let name: String
    public nonisolated let profileName: String
    private let config: AWSSharedConfig
    private let environment: [String: String]
    private let now: @Sendable () -> Date
    private var cached: Credentials?

    public init(profileName: String, config: AWSSharedConfig, environment: [String: String], now: @escaping @Sendable () -> Date = { Date() }) {
        self.profileName = profileName
        self.config = config
        self.environment = environment
        self.now = now
        self.name = "credential_process (profile '\(profileName)')"
    }

    public func credentials() async throws -> Credentials {
        if let cached, !cached.isExpiring(within: credentialRefreshMargin, now: now()) { return cached }
        guard let profile = config.profile(named: profileName) else {
            throw CredentialProviderError.notFound(provider: name, reason: "no profile '\(profileName)'")
        }
        guard let command = profile["credential_process"], !command.isEmpty else {
            throw CredentialProviderError.notFound(provider: name, reason: "profile '\(profileName)' has no credential_process")
        }
        let fresh = try await Self.run(
            command: command, environment: environment, provider: name,
            where: profile.describeLocation(of: "credential_process"), profileName: profileName)
        cached = fresh
        return fresh
    }

    /// Runs `command` and parses its output; public so that `credential_source`-style callers can reuse it.
    static func run(command: String, environment: [String: String], provider: String, where location: String, profileName: String) async throws -> Credentials {
        let result: ProcessResult
        do {
            result = try await ProcessResult.run(command: command, environment: environment)
        } catch {
            throw CredentialProviderError.failed(provider: provider, reason: "\(location): could not start /bin/sh: \(error.localizedDescription)")
        }
        guard result.status == 0 else {
            let stderr = String(decoding: result.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let shown = stderr.count > 500 ? String(stderr.suffix(500)) : stderr
            throw CredentialProviderError.failed(
                provider: provider,
                reason: "\(location): the command exited with status \(result.status)" + (shown.isEmpty ? "" : "; stderr: \(shown)"))
        }
        return try parse(output: result.stdout, provider: provider, where: location, profileName: profileName)
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

/// The outcome of a finished child process.
struct ProcessResult: Sendable {
    var status: Int32
    var stdout: Data
    var stderr: Data

    /// Runs `/bin/sh -c command` on a GCD thread (never blocking the cooperative pool), reading both pipes
    /// concurrently so that large outputs cannot dead-lock.
    static func run(command: String, environment: [String: String]) async throws -> ProcessResult {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ProcessResult, Error>) in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", command]
                process.environment = environment
                let out = Pipe()
                let err = Pipe()
                process.standardOutput = out
                process.standardError = err
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let group = DispatchGroup()
                let errBox = DataBox()
                group.enter()
                DispatchQueue.global().async {
                    errBox.set(err.fileHandleForReading.readDataToEndOfFile())
                    group.leave()
                }
                let stdout = out.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: ProcessResult(status: process.terminationStatus, stdout: stdout, stderr: errBox.get()))
            }
        }
    }
}

/// A lock-protected `Data` shared between two GCD threads.
private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}
