import AWSCore
import Foundation
import Testing

@Suite("Endpoint resolution")
struct EndpointResolverTests {
    static let config = """
        [default]
        region = us-east-1

        [profile svc]
        services = local
        endpoint_url = http://profile-global:1000

        [profile global]
        endpoint_url = http://profile-global:1000

        [profile ignoring]
        services = local
        endpoint_url = http://profile-global:1000
        ignore_configured_endpoint_urls = true

        [profile badsvc]
        services = missing

        [profile badurl]
        endpoint_url = ftp://nope

        [services local]
        ecr =
          endpoint_url = http://services-ecr:2000
        sts =
          endpoint_url = http://services-sts:3000
        """

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var service: EndpointService = .ecr
        var profile: String?
        var option: String?
        var environment: [String: String] = [:]
        var region = "ap-northeast-2"
        var expected: String
        var source: String
        var description: String { name }
    }

    static let allEnv = [
        "AWS_ENDPOINT_URL_ECR": "http://env-ecr:4000", "AWS_ENDPOINT_URL_STS": "http://env-sts:4001",
        "AWS_ENDPOINT_URL": "http://env-global:5000",
    ]

    static let rows: [Row] = [
        Row(name: "--endpoint-url beats everything", profile: "svc", option: "http://127.0.0.1:9000", environment: allEnv,
            expected: "http://127.0.0.1:9000", source: "--endpoint-url"),
        Row(name: "--endpoint-url even when ignoring configured endpoints", profile: "ignoring", option: "http://127.0.0.1:9000",
            environment: ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"], expected: "http://127.0.0.1:9000", source: "--endpoint-url"),
        Row(name: "AWS_ENDPOINT_URL_ECR", profile: "svc", environment: allEnv, expected: "http://env-ecr:4000", source: "AWS_ENDPOINT_URL_ECR"),
        Row(name: "AWS_ENDPOINT_URL_STS for STS", service: .sts, profile: "svc", environment: allEnv,
            expected: "http://env-sts:4001", source: "AWS_ENDPOINT_URL_STS"),
        Row(name: "another service's variable is not used", service: .sts, profile: "global",
            environment: ["AWS_ENDPOINT_URL_ECR": "http://env-ecr:4000"], expected: "http://profile-global:1000", source: "CONFIG:9 (profile 'global', endpoint_url)"),
        Row(name: "AWS_ENDPOINT_URL beats the config file (botocore order)", profile: "svc",
            environment: ["AWS_ENDPOINT_URL": "http://env-global:5000"], expected: "http://env-global:5000", source: "AWS_ENDPOINT_URL"),
        Row(name: "services section for ECR", profile: "svc", expected: "http://services-ecr:2000",
            source: "[services local] ecr.endpoint_url in CONFIG"),
        Row(name: "services section for STS", service: .sts, profile: "svc", expected: "http://services-sts:3000",
            source: "[services local] sts.endpoint_url in CONFIG"),
        Row(name: "profile endpoint_url", profile: "global", expected: "http://profile-global:1000",
            source: "CONFIG:9 (profile 'global', endpoint_url)"),
        Row(name: "AWS_PROFILE selects the profile", profile: nil, environment: ["AWS_PROFILE": "global"],
            expected: "http://profile-global:1000", source: "CONFIG:9 (profile 'global', endpoint_url)"),
        Row(name: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS skips env and config", profile: "svc",
            environment: allEnv.merging(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "True"]) { a, _ in a },
            expected: "https://api.ecr.ap-northeast-2.amazonaws.com", source: "default"),
        Row(name: "ignore_configured_endpoint_urls in the profile skips env and config", profile: "ignoring", environment: allEnv,
            expected: "https://api.ecr.ap-northeast-2.amazonaws.com", source: "default"),
        Row(name: "the variable set to false overrides the profile's true", profile: "ignoring",
            environment: ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false"], expected: "http://services-ecr:2000",
            source: "[services local] ecr.endpoint_url in CONFIG"),
        Row(name: "default ECR", profile: nil, expected: "https://api.ecr.ap-northeast-2.amazonaws.com", source: "default"),
        Row(name: "default STS is regional", service: .sts, profile: nil, region: "eu-west-1",
            expected: "https://sts.eu-west-1.amazonaws.com", source: "default"),
        Row(name: "China ECR", profile: nil, region: "cn-north-1", expected: "https://api.ecr.cn-north-1.amazonaws.com.cn", source: "default"),
        Row(name: "China STS", service: .sts, profile: nil, region: "cn-northwest-1",
            expected: "https://sts.cn-northwest-1.amazonaws.com.cn", source: "default"),
        Row(name: "an endpoint with a path is kept", profile: nil, option: "https://proxy.example.com/aws/ecr",
            expected: "https://proxy.example.com/aws/ecr", source: "--endpoint-url"),
    ]

    @Test("precedence", arguments: rows)
    func precedence(row: Row) throws {
        let home = try TempHome()
        defer { home.remove() }
        try home.config(Self.config)
        let environment = home.environment(row.environment)
        let resolver = EndpointResolver(service: row.service, profileName: row.profile, environment: environment, config: try home.load(environment))
        let endpoint = try resolver.resolve(region: row.region, endpointOption: row.option)
        #expect(endpoint.url.absoluteString == row.expected)
        #expect(endpoint.source == row.source.replacingOccurrences(of: "CONFIG", with: home.configPath))
        #expect(endpoint.signingRegion == row.region)
        #expect(endpoint.signingName == (row.service == .ecr ? "ecr" : "sts"))
    }

    @Test("service identifiers")
    func identifiers() {
        #expect(EndpointService.ecr.environmentVariable == "AWS_ENDPOINT_URL_ECR")
        #expect(EndpointService.sts.environmentVariable == "AWS_ENDPOINT_URL_STS")
        #expect(EndpointService(serviceId: "ECR PUBLIC", endpointPrefix: "api.ecr-public", signingName: "ecr-public").environmentVariable
            == "AWS_ENDPOINT_URL_ECR_PUBLIC")
        #expect(EndpointService(serviceId: "ECR PUBLIC", endpointPrefix: "api.ecr-public", signingName: "ecr-public").configKey == "ecr_public")
    }

    @Test("invalid URLs are errors naming the option, variable or setting", arguments: [
        (nil as String?, ["AWS_ENDPOINT_URL_ECR": "127.0.0.1:4566"], nil as String?, "AWS_ENDPOINT_URL_ECR"),
        (nil, ["AWS_ENDPOINT_URL": "not a url"], nil, "AWS_ENDPOINT_URL:"),
        ("ftp://x", [:], nil, "--endpoint-url"),
        (nil, [:], "badurl", "(profile 'badurl', endpoint_url)"),
        (nil, [:], "badsvc", "[services missing] does not exist"),
    ])
    func invalid(option: String?, environment: [String: String], profile: String?, fragment: String) throws {
        let home = try TempHome()
        defer { home.remove() }
        try home.config(Self.config)
        let env = home.environment(environment)
        let resolver = EndpointResolver(service: .ecr, profileName: profile, environment: env, config: try home.load(env))
        let error = try #require(throws: AWSConfigError.self) { try resolver.resolve(region: "us-east-1", endpointOption: option) }
        #expect(error.description.contains(fragment), "\(error)")
    }

    @Test("a bad region is refused before it becomes a host name")
    func badRegion() throws {
        let resolver = EndpointResolver(service: .ecr, profileName: nil, environment: [:], config: .empty)
        #expect(throws: AWSConfigError.self) { try resolver.resolve(region: "evil.com/x") }
    }
}
