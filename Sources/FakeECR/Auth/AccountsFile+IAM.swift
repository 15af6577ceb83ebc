import ECRWire
import Foundation

/// The identity policies an accounts-file principal (an account's key, a user, a role) declares.
///
/// A principal that declares neither `policies` nor `inlinePolicies` acts as its account's root
/// user: allowed everything (so accounts files written before IAM keep working). Declaring
/// `"policies": []` gives a principal nothing.
public struct DeclaredPermissions: Sendable, Equatable {
    /// Managed policies attached: names of the account's `managedPolicies`, or ARNs
    /// (`arn:aws:iam::111111111111:policy/LabPull`).
    public var policies: [String]?
    /// Inline policies by name, as policy text.
    public var inlinePolicies: [String: String]?
    /// The principal's tags (`aws:PrincipalTag/…`).
    public var tags: [String: String]

    public init(policies: [String]? = nil, inlinePolicies: [String: String]? = nil, tags: [String: String] = [:]) {
        self.policies = policies
        self.inlinePolicies = inlinePolicies
        self.tags = tags
    }

    /// Whether the principal is subject to identity policies (declares any, even an empty list).
    public var declaresPolicies: Bool { policies != nil || inlinePolicies != nil }

    static let keys = ["policies", "inlinePolicies", "tags"]

    /// Reads the three members from `decoder`'s object; an inline policy IAM would refuse is an error at its key.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: StrictKeys.AnyKey.self)
        let policiesKey = StrictKeys.AnyKey(stringValue: "policies"), inlineKey = StrictKeys.AnyKey(stringValue: "inlinePolicies")
        policies = try container.decodeIfPresent([String].self, forKey: policiesKey)
        tags = try container.decodeIfPresent([String: String].self, forKey: StrictKeys.AnyKey(stringValue: "tags")) ?? [:]
        if let inline = try container.decodeIfPresent([String: JSONValue].self, forKey: inlineKey) {
            var texts: [String: String] = [:]
            let nested = try container.nestedContainer(keyedBy: StrictKeys.AnyKey.self, forKey: inlineKey)
            for (name, document) in inline {
                texts[name] = try Self.policyText(document, kind: .identity, in: nested, forKey: StrictKeys.AnyKey(stringValue: name))
            }
            inlinePolicies = texts
        }
    }

    /// A policy document of the file as text, checked as IAM would check it.
    static func policyText<Key: CodingKey>(
        _ document: JSONValue, kind: PolicyDocument.Kind, in container: KeyedDecodingContainer<Key>, forKey key: Key
    ) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(document), as: UTF8.self)
        do {
            _ = try PolicyDocument(text: text, kind: kind)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "MalformedPolicyDocument: \(error)")
        }
        return text
    }
}

/// An IAM user of an accounts file, besides the account's own key: `{"userName": "puller",
/// "accessKeys": [{"accessKeyId": …, "secretAccessKey": …}], "policies": ["LabPull"]}`.
public struct DeclaredUser: Sendable, Equatable, Decodable {
    public struct AccessKey: Sendable, Equatable, Decodable, CustomStringConvertible {
        public var accessKeyId: String
        public var secretAccessKey: String
        public var description: String { "AccessKey(\(accessKeyId), secretAccessKey: <redacted>)" }
    }

    public var userName: String
    public var accessKeys: [AccessKey]
    public var permissions: DeclaredPermissions

    enum CodingKeys: String, CodingKey { case userName, accessKeys }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: ["userName", "accessKeys"] + DeclaredPermissions.keys)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        userName = try container.decode(String.self, forKey: .userName)
        guard (1...64).contains(userName.count), userName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+=,.@_-".contains($0)) }) else {
            throw DecodingError.dataCorruptedError(forKey: .userName, in: container, debugDescription: "expected an IAM user name of 1 to 64 characters [\\w+=,.@-]")
        }
        accessKeys = try container.decodeIfPresent([AccessKey].self, forKey: .accessKeys) ?? []
        permissions = try DeclaredPermissions(from: decoder)
    }
}

/// A customer managed policy of an accounts file: `{"policyName": "LabPull", "document": {…}}`.
public struct DeclaredPolicy: Sendable, Equatable, Decodable {
    public var policyName: String
    /// The policy text.
    public var document: String

    enum CodingKeys: String, CodingKey, CaseIterable { case policyName, document }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        policyName = try container.decode(String.self, forKey: .policyName)
        document = try DeclaredPermissions.policyText(
            try container.decode(JSONValue.self, forKey: .document), kind: .identity, in: container, forKey: .document)
    }
}
