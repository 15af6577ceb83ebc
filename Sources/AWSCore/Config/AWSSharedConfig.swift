import Foundation

/// A configuration problem a user must fix: a missing profile, a bad setting, an invalid option.
public struct AWSConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    /// The AWS CLI's wording for `--profile x` / `AWS_PROFILE=x` naming a profile that does not exist.
    public static func profileNotFound(_ name: String) -> AWSConfigError {
        AWSConfigError("The config profile (\(name)) could not be found")
    }
}

/// The shared AWS files (`~/.aws/config` and `~/.aws/credentials`), parsed as botocore does.
///
/// - The config file names profiles `[default]` and `[profile name]`; `[services name]` sections hold
///   per-service nested blocks (`ecr =` then indented `endpoint_url = ...`); other sections are ignored.
/// - The credentials file names profiles `[name]` literally (so `[profile x]` there is a profile called "profile x").
/// - `profile(named:)` merges both: keys from the credentials file win.
/// - Missing files are fine (empty); unreadable or malformed files are errors naming the file and line.
public struct AWSSharedConfig: Sendable, Equatable {
    /// The config file consulted (whether or not it exists), or `nil` when no path could be formed.
    public var configFilePath: String?
    /// The credentials file consulted (whether or not it exists).
    public var credentialsFilePath: String?
    /// Profiles of the config file, by profile name.
    public var configProfiles: [String: AWSProfile]
    /// Profiles of the credentials file, by section name.
    public var credentialsProfiles: [String: AWSProfile]
    /// `[services name]` sections of the config file: service key (e.g. "ecr") to its settings.
    public var services: [String: [String: [String: String]]]

    public init(
        configFilePath: String? = nil, credentialsFilePath: String? = nil,
        configProfiles: [String: AWSProfile] = [:], credentialsProfiles: [String: AWSProfile] = [:],
        services: [String: [String: [String: String]]] = [:]
    ) {
        self.configFilePath = configFilePath
        self.credentialsFilePath = credentialsFilePath
        self.configProfiles = configProfiles
        self.credentialsProfiles = credentialsProfiles
        self.services = services
    }

    /// No files at all.
    public static let empty = AWSSharedConfig()

    /// Reads the files named by `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`, else
    /// `<home>/.aws/config` and `<home>/.aws/credentials` (`homeDirectory`, else `HOME` from `environment`).
    /// `~` and `$VAR` / `${VAR}` in the variables are expanded from `homeDirectory` and `environment`.
    public static func load(environment: [String: String], homeDirectory: String?) throws -> AWSSharedConfig {
        let home = homeDirectory ?? environment["HOME"]
        let configPath = path(variable: environment["AWS_CONFIG_FILE"], defaultName: "config", home: home, environment: environment)
        let credentialsPath = path(
            variable: environment["AWS_SHARED_CREDENTIALS_FILE"], defaultName: "credentials", home: home, environment: environment)
        return try parse(
            config: try configPath.flatMap(readIfPresent), configPath: configPath,
            credentials: try credentialsPath.flatMap(readIfPresent), credentialsPath: credentialsPath)
    }

    /// Parses file contents already in memory; `nil` text means the file does not exist.
    public static func parse(config: String?, configPath: String?, credentials: String?, credentialsPath: String?) throws -> AWSSharedConfig {
        var result = AWSSharedConfig(configFilePath: configPath, credentialsFilePath: credentialsPath)
        if let config {
            for section in try ConfigFileParser.parse(config, path: configPath ?? "config") {
                if section.name == "default" {
                    result.configProfiles["default"] = AWSProfile(name: "default", section: section)
                    continue
                }
                // botocore: names starting with "profile" / "services" are split like a shell would,
                // and only a two-word name counts ("[profile x]", "[services x]").
                if section.name.hasPrefix("profile") || section.name.hasPrefix("services") {
                    let words = shellWords(section.name)
                    guard words.count == 2 else { continue }
                    if section.name.hasPrefix("profile") {
                        result.configProfiles[words[1]] = AWSProfile(name: words[1], section: section)
                    } else {
                        var block: [String: [String: String]] = [:]
                        for (key, value) in section.values {
                            if case .nested(let settings) = value { block[key] = settings }
                        }
                        result.services[words[1]] = block
                    }
                }
            }
        }
        if let credentials {
            for section in try ConfigFileParser.parse(credentials, path: credentialsPath ?? "credentials") {
                result.credentialsProfiles[section.name] = AWSProfile(name: section.name, section: section)
            }
        }
        return result
    }

    /// The merged profile (config file keys overlaid by credentials file keys), or `nil` when neither file has it.
    public func profile(named name: String) -> AWSProfile? {
        switch (configProfiles[name], credentialsProfiles[name]) {
        case (nil, nil): return nil
        case (let config?, nil): return config
        case (nil, let credentials?): return credentials
        case (let config?, let credentials?): return config.merging(credentials)
        }
    }

    /// Every profile name of both files, sorted.
    public var profileNames: [String] {
        Set(configProfiles.keys).union(credentialsProfiles.keys).sorted()
    }

    /// The profile name in effect: an explicit `--profile`, else `AWS_DEFAULT_PROFILE`, else `AWS_PROFILE`
    /// (botocore checks them in that order), else "default". `named` is true when it was not the implicit default.
    public static func selectedProfileName(explicit: String?, environment: [String: String]) -> (name: String, named: Bool) {
        if let explicit, !explicit.isEmpty { return (explicit, true) }
        for variable in ["AWS_DEFAULT_PROFILE", "AWS_PROFILE"] {
            if let value = environment[variable], !value.isEmpty { return (value, true) }
        }
        return ("default", false)
    }

    /// The profile in effect. A profile named by `--profile` or the environment that does not exist is an error
    /// ("The config profile (x) could not be found"); a missing implicit default profile is just `nil`.
    public func selectedProfile(explicit: String?, environment: [String: String]) throws -> AWSProfile? {
        let selected = Self.selectedProfileName(explicit: explicit, environment: environment)
        if let profile = profile(named: selected.name) { return profile }
        if selected.named { throw AWSConfigError.profileNotFound(selected.name) }
        return nil
    }

    // MARK: - Files

    static func path(variable: String?, defaultName: String, home: String?, environment: [String: String]) -> String? {
        if let variable, !variable.isEmpty {
            return expandUser(expandVariables(variable, environment: environment), home: home)
        }
        guard let home, !home.isEmpty else { return nil }
        return (home as NSString).appendingPathComponent(".aws/\(defaultName)")
    }

    static func expandUser(_ path: String, home: String?) -> String {
        guard let home, path == "~" || path.hasPrefix("~/") else { return path }
        return home + path.dropFirst()
    }

    /// `$NAME` and `${NAME}` from `environment`; unknown variables are left as written (like os.path.expandvars).
    static func expandVariables(_ text: String, environment: [String: String]) -> String {
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "$" else {
                output.append(character)
                index = text.index(after: index)
                continue
            }
            let afterDollar = text.index(after: index)
            if afterDollar < text.endIndex, text[afterDollar] == "{",
               let close = text[afterDollar...].firstIndex(of: "}") {
                let name = String(text[text.index(after: afterDollar)..<close])
                if let value = environment[name] { output += value } else { output += text[index...close] }
                index = text.index(after: close)
                continue
            }
            let nameEnd = text[afterDollar...].firstIndex(where: { !($0.isLetter || $0.isNumber || $0 == "_") || !$0.isASCII }) ?? text.endIndex
            let name = String(text[afterDollar..<nameEnd])
            if !name.isEmpty, let value = environment[name] { output += value } else { output += text[index..<nameEnd] }
            index = nameEnd
        }
        return output
    }

    static func readIfPresent(_ path: String) throws -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { throw ConfigFileError(path: path, line: nil, message: "is a directory, expected an INI file") }
        // FileHandle reads character devices too (AWS_CONFIG_FILE=/dev/null is a common way to say "none").
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw ConfigFileError(path: path, line: nil, message: "cannot be read: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigFileError(path: path, line: nil, message: "is not valid UTF-8 text")
        }
        return text
    }

    /// A small `shlex.split`: whitespace-separated words, with '...' and "..." quoting.
    static func shellWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if quote != nil { return [] }  // shlex raises on an unclosed quote; botocore then ignores the section
        if inWord { words.append(current) }
        return words
    }
}
