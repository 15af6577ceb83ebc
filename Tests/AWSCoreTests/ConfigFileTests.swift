import AWSCore
import Foundation
import Testing

@Suite("Config: shared config and credentials files")
struct ConfigFileTests {
    @Test("profiles, comments, continuation lines, nested blocks and services sections parse like botocore")
    func parsesConfigDialect() throws {
        let home = try TempHome()
        defer { home.remove() }
        try home.config("""
            # a comment
            ; another comment
            [default]
            region = ap-northeast-2
            output: json
            Endpoint_URL = http://127.0.0.1:4566

            [profile dev]
              region=us-west-2
            role_arn = arn:aws:iam::123456789012:role/dev
            source_profile = default
            note = first line
              second line
            s3 =
              addressing_style = path
              # comment inside a block
              signature_version = s3v4
            inline = value # not a comment in botocore

            [profile "spaced name"]
            region = eu-west-1

            [services local]
            ecr =
              endpoint_url = http://127.0.0.1:5000
            sts =
              endpoint_url = http://127.0.0.1:5001

            [profilebroken]
            region = nowhere

            [sso-session x]
            sso_region = us-east-1

            [preview]
            cloudfront = true
            """)
        let config = try home.load()
        #expect(config.profileNames == ["default", "dev", "spaced name"])
        let defaultProfile = try #require(config.profile(named: "default"))
        #expect(defaultProfile["region"] == "ap-northeast-2")
        #expect(defaultProfile["output"] == "json")
        #expect(defaultProfile["endpoint_url"] == "http://127.0.0.1:4566")  // keys are lower-cased
        #expect(defaultProfile.location(of: "region") == ConfigLocation(path: home.configPath, line: 4))

        let dev = try #require(config.profile(named: "dev"))
        #expect(dev["region"] == "us-west-2")
        #expect(dev["note"] == "first line\nsecond line")
        #expect(dev.subsections["s3"] == ["addressing_style": "path", "signature_version": "s3v4"])
        #expect(dev["inline"] == "value # not a comment in botocore")
        #expect(config.profile(named: "spaced name")?["region"] == "eu-west-1")
        #expect(config.profile(named: "profilebroken") == nil)
        #expect(config.services["local"]?["ecr"]?["endpoint_url"] == "http://127.0.0.1:5000")
        #expect(config.services["local"]?["sts"]?["endpoint_url"] == "http://127.0.0.1:5001")
    }

    @Test("credentials file names profiles literally; its keys win over the config file's")
    func mergesCredentialsOverConfig() throws {
        let home = try TempHome()
        defer { home.remove() }
        try home.config("""
            [profile dev]
            region = us-west-2
            aws_access_key_id = AKIACONFIGFILE000001
            aws_secret_access_key = configSecret
            """)
        try home.credentials("""
            [dev]
            aws_access_key_id = AKIACREDFILE00000001
            aws_secret_access_key = credSecret
            [profile odd]
            aws_access_key_id = AKIAODD0000000000001
            aws_secret_access_key = oddSecret
            """)
        let config = try home.load()
        let dev = try #require(config.profile(named: "dev"))
        #expect(dev["region"] == "us-west-2")
        #expect(dev["aws_access_key_id"] == "AKIACREDFILE00000001")
        #expect(dev["aws_secret_access_key"] == "credSecret")
        #expect(dev.location(of: "aws_access_key_id")?.path == home.credentialsPath)
        #expect(config.profile(named: "profile odd") != nil)
        #expect(config.profile(named: "odd") == nil)
        #expect(!String(describing: dev).contains("credSecret"))
    }

    @Test("AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE override the defaults, with ~ and $VAR expansion")
    func fileLocationVariables() throws {
        let home = try TempHome()
        defer { home.remove() }
        try home.write("elsewhere/cfg", "[profile a]\nregion = eu-north-1\n")
        try home.write("elsewhere/creds", "[a]\naws_access_key_id = AKIA1\naws_secret_access_key = s\n")
        try home.config("[profile ignored]\nregion = x\n")
        let config = try home.load(home.environment([
            "AWS_CONFIG_FILE": "~/elsewhere/cfg",
            "AWS_SHARED_CREDENTIALS_FILE": "${HOME}/elsewhere/creds",
        ]))
        #expect(config.configFilePath == home.path + "/elsewhere/cfg")
        #expect(config.credentialsFilePath == home.path + "/elsewhere/creds")
        #expect(config.profileNames == ["a"])
        #expect(config.profile(named: "a")?["aws_access_key_id"] == "AKIA1")
    }

    @Test("missing files are an empty configuration; the home can come from HOME")
    func missingFiles() throws {
        let home = try TempHome()
        defer { home.remove() }
        let config = try AWSSharedConfig.load(environment: ["HOME": home.path], homeDirectory: nil)
        #expect(config.profileNames.isEmpty)
        #expect(config.configFilePath == home.configPath)
        let none = try AWSSharedConfig.load(environment: [:], homeDirectory: nil)
        #expect(none.configFilePath == nil)
    }

    @Test("malformed files give the file path and line number", arguments: [
        ("region = x\n[default]\n", 1, "section header"),
        ("[default]\nregion = x\nthis line is wrong\n", 3, "'key = value'"),
        ("[default]\nregion = x\n\n[default]\n", 4, "already defined at line 1"),
        ("[default]\nregion = a\nREGION = b\n", 3, "already set at line 2"),
        ("[default]\n= value\n", 2, "missing key name"),
        ("[services s]\necr =\n  endpoint_url = x\n  oops\n", 4, "inside the 'ecr =' block"),
    ])
    func malformedFiles(text: String, line: Int, fragment: String) throws {
        let home = try TempHome()
        defer { home.remove() }
        try home.config(text)
        let error = try #require(throws: ConfigFileError.self) { try home.load() }
        #expect(error.path == home.configPath)
        #expect(error.line == line)
        #expect(error.description.hasPrefix("\(home.configPath):\(line): "))
        #expect(error.description.contains(fragment), "\(error)")
    }

    @Test("errors in the credentials file name that file and never echo the malformed line")
    func credentialsFileErrorsDoNotEchoSecrets() throws {
        let home = try TempHome()
        defer { home.remove() }
        try home.credentials("[default]\naws_access_key_id = AKIA1\nwJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEY\n")
        let error = try #require(throws: ConfigFileError.self) { try home.load() }
        #expect(error.path == home.credentialsPath)
        #expect(error.line == 3)
        #expect(!error.description.contains("wJalr"))
    }

    @Test("a directory or non-UTF-8 file is an error naming the file")
    func unreadableFiles() throws {
        let home = try TempHome()
        defer { home.remove() }
        try FileManager.default.createDirectory(atPath: home.path + "/dir", withIntermediateDirectories: true)
        let directoryError = try #require(throws: ConfigFileError.self) {
            try home.load(home.environment(["AWS_CONFIG_FILE": home.path + "/dir"]))
        }
        #expect(directoryError.path == home.path + "/dir")
        try Data([0x5B, 0xFF, 0xFE, 0x5D]).write(to: URL(fileURLWithPath: home.configPath))
        let encodingError = try #require(throws: ConfigFileError.self) { try home.load() }
        #expect(encodingError.description.contains("UTF-8"))
    }

    @Test("a named profile that does not exist is the CLI's error; a missing default is not")
    func selectedProfile() throws {
        let config = try AWSSharedConfig.parse(config: "[profile a]\nregion = x\n", configPath: "/c", credentials: nil, credentialsPath: nil)
        #expect(try config.selectedProfile(explicit: nil, environment: [:]) == nil)
        #expect(try config.selectedProfile(explicit: nil, environment: ["AWS_PROFILE": "a"])?.name == "a")
        #expect(try config.selectedProfile(explicit: "a", environment: ["AWS_PROFILE": "zzz"])?.name == "a")
        let error = try #require(throws: AWSConfigError.self) {
            try config.selectedProfile(explicit: "missing", environment: [:])
        }
        #expect(error.description == "The config profile (missing) could not be found")
        #expect(throws: AWSConfigError.profileNotFound("envmissing")) {
            try config.selectedProfile(explicit: nil, environment: ["AWS_PROFILE": "envmissing"])
        }
        // botocore reads AWS_DEFAULT_PROFILE before AWS_PROFILE.
        #expect(AWSSharedConfig.selectedProfileName(explicit: nil, environment: ["AWS_DEFAULT_PROFILE": "x", "AWS_PROFILE": "y"]).name == "x")
    }
}

@Suite("Config: files given as devices")
struct ConfigDeviceFileTests {
    @Test("AWS_CONFIG_FILE=/dev/null and AWS_SHARED_CREDENTIALS_FILE=/dev/null mean empty files, as for the AWS CLI")
    func devNullIsEmpty() throws {
        let config = try AWSSharedConfig.load(
            environment: ["AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"], homeDirectory: "/nonexistent")
        #expect(config.profileNames.isEmpty)
    }
}
