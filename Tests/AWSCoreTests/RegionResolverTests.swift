import AWSCore
import AsyncHTTPClient
import Foundation
import Testing

@Suite("Region resolution")
struct RegionResolverTests {
    static let config = """
        [default]
        region = us-east-1
        [profile seoul]
        region = ap-northeast-2
        [profile noregion]
        output = json
        """

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var option: String?
        var profile: String?
        var environment: [String: String]
        var expected: String
        var source: String
        var description: String { name }
    }

    static let rows: [Row] = [
        Row(name: "--region wins", option: "eu-west-1", profile: "seoul",
            environment: ["AWS_REGION": "us-west-1", "AWS_DEFAULT_REGION": "us-west-2"], expected: "eu-west-1", source: "--region"),
        Row(name: "AWS_REGION before AWS_DEFAULT_REGION", option: nil, profile: "seoul",
            environment: ["AWS_REGION": "us-west-1", "AWS_DEFAULT_REGION": "us-west-2"], expected: "us-west-1", source: "AWS_REGION"),
        Row(name: "AWS_DEFAULT_REGION before the profile", option: nil, profile: "seoul",
            environment: ["AWS_DEFAULT_REGION": "us-west-2"], expected: "us-west-2", source: "AWS_DEFAULT_REGION"),
        Row(name: "the --profile's region", option: nil, profile: "seoul", environment: [:],
            expected: "ap-northeast-2", source: "profile 'seoul' (CONFIG:4)"),
        Row(name: "AWS_PROFILE's region", option: nil, profile: nil, environment: ["AWS_PROFILE": "seoul"],
            expected: "ap-northeast-2", source: "profile 'seoul' (CONFIG:4)"),
        Row(name: "the default profile's region", option: nil, profile: nil, environment: [:],
            expected: "us-east-1", source: "profile 'default' (CONFIG:2)"),
        Row(name: "empty AWS_REGION is ignored", option: nil, profile: nil, environment: ["AWS_REGION": ""],
            expected: "us-east-1", source: "profile 'default' (CONFIG:2)"),
    ]

    @Test("precedence", arguments: rows)
    func precedence(row: Row) async throws {
        let home = try TempHome()
        defer { home.remove() }
        try home.config(Self.config)
        let environment = home.environment(row.environment)
        let resolver = RegionResolver(
            regionOption: row.option, profileName: row.profile, environment: environment, config: try home.load(environment), imds: nil)
        let region = try await resolver.resolve()
        #expect(region == ResolvedRegion(name: row.expected, source: row.source.replacingOccurrences(of: "CONFIG", with: home.configPath)))
    }

    @Test("IMDS placement/region last, with the IMDSv2 token")
    func fromIMDS() async throws {
        let standIn = try await IMDSStandIn.start()
        let home = try TempHome()
        defer { home.remove() }
        try home.config(Self.config)
        let environment = home.environment(["AWS_EC2_METADATA_SERVICE_ENDPOINT": standIn.endpoint])
        // A patient per-attempt timeout: under the parallel suite's load the default 1 s could lapse and retry.
        let imds = IMDSClient(httpClient: HTTPClient.shared, environment: environment.merging(["AWS_EC2_METADATA_DISABLED": "false"]) { _, b in b },
                              timeout: .seconds(10))
        let resolver = RegionResolver(regionOption: nil, profileName: "noregion", environment: environment, config: try home.load(environment), imds: imds)
        #expect(try await resolver.resolve() == ResolvedRegion(name: "ap-northeast-2", source: "imds"))
        #expect(standIn.snapshot.tokenRequests == 1)
        #expect(standIn.snapshot.unauthorized == 0)
        await standIn.stop()
    }

    @Test("nothing found names everything tried")
    func noRegion() async throws {
        let home = try TempHome()
        defer { home.remove() }
        try home.config(Self.config)
        let environment = home.environment()
        let imds = IMDSClient(httpClient: HTTPClient.shared, environment: environment)
        let resolver = RegionResolver(regionOption: nil, profileName: "noregion", environment: environment, config: try home.load(environment), imds: imds)
        let error = await #expect(throws: RegionResolutionError.self) { try await resolver.resolve() }
        #expect(error?.tried == [
            "--region not given", "AWS_REGION not set", "AWS_DEFAULT_REGION not set",
            "profile 'noregion' has no region", "imds: disabled by AWS_EC2_METADATA_DISABLED",
        ])
        #expect(error?.description.hasPrefix("no AWS region configured") == true)
    }

    @Test("bad values and missing named profiles are errors")
    func badValues() async throws {
        let config = try AWSSharedConfig.parse(config: "[default]\nregion = us east\n", configPath: "/c", credentials: nil, credentialsPath: nil)
        let badOption = await #expect(throws: AWSConfigError.self) {
            try await RegionResolver(regionOption: "us_east/1", profileName: nil, environment: [:], config: config, imds: nil).resolve()
        }
        #expect(badOption?.description.contains("--region") == true)
        let badProfile = await #expect(throws: AWSConfigError.self) {
            try await RegionResolver(regionOption: nil, profileName: nil, environment: [:], config: config, imds: nil).resolve()
        }
        #expect(badProfile?.description.contains("/c:2") == true)
        await #expect(throws: AWSConfigError.profileNotFound("ghost")) {
            try await RegionResolver(regionOption: nil, profileName: "ghost", environment: [:], config: config, imds: nil).resolve()
        }
    }
}
