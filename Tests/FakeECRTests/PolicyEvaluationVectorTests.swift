import ECRWire
@testable import FakeECR
import Foundation
import LabCheckTestSupport
import Testing

/// The policy engine against the vectors of `Vectors/iam-policy-evaluation.json`: each case is an
/// example or rule of AWS's IAM documentation, whose page the case names.
@Suite("IAM policy evaluation vectors")
struct PolicyEvaluationVectorTests {
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        var name: String
        var source: String
        var principal: String
        var action: String
        var resource: String
        var context: [String: [String]]?
        var identityPolicies: [JSONText]
        var resourcePolicy: JSONText?
        var resourceAccount: String?
        var expected: String
        var matched: [String]?
        var testDescription: String { name }
    }

    /// A JSON value kept as its text (the policy document as a client would send it).
    struct JSONText: Decodable, Sendable {
        var text: String
        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer().decode(JSONValue.self)
            text = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        }
    }

    static let file = RepositoryFiles.root.appendingPathComponent("Tests/FakeECRTests/Vectors/iam-policy-evaluation.json")

    static func cases() throws -> [Case] {
        struct File: Decodable { var cases: [Case] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: file)).cases
    }

    @Test(arguments: try PolicyEvaluationVectorTests.cases())
    func vector(_ vector: Case) throws {
        #expect(vector.source.hasPrefix("https://docs.aws.amazon.com/"), "every vector names its AWS documentation page")
        let account = String(vector.principal.split(separator: ":", omittingEmptySubsequences: false)[4])
        let principal = AccessPrincipal(accountId: account, arn: vector.principal)
        let identity = try vector.identityPolicies.enumerated().map { index, policy in
            NamedPolicy(id: "policy\(index)", source: .user, document: try PolicyDocument(text: policy.text, kind: .identity))
        }
        let resource = try vector.resourcePolicy.map {
            NamedPolicy(id: "RepositoryPolicy", source: .resource, document: try PolicyDocument(text: $0.text, kind: .resource))
        }
        let request = PolicyRequest(principal: principal, action: vector.action, resource: vector.resource, context: vector.context ?? [:])
        let result = PolicyEvaluation.evaluate(request, identity: .policies(identity), resource: resource, resourceAccount: vector.resourceAccount)
        #expect(result.decision.rawValue == vector.expected, "\(vector.name) (\(vector.source))")
        if let expectedMatches = vector.matched {
            let documents = Dictionary(uniqueKeysWithValues: (identity + (resource.map { [$0] } ?? [])).map { ($0.id, $0.document) })
            let names = result.matched.map { match in
                (match.source == .resource ? "resource:" : "identity:") + (documents[match.policy]?.statements[match.index].sid ?? "?")
            }
            #expect(names == expectedMatches, "\(vector.name)")
        }
    }

    @Test func theRootUserIsAllowedEverythingButAResourcePolicysDeny() {
        let root = AccessPrincipal(accountId: "111111111111", arn: "arn:aws:iam::111111111111:root")
        let request = PolicyRequest(principal: root, action: "ecr:PutImage", resource: "arn:aws:ecr:us-east-1:111111111111:repository/app")
        #expect(PolicyEvaluation.evaluate(request, identity: .root, resource: nil, resourceAccount: "111111111111").decision == .allowed)
        let deny = try? PolicyDocument(text: #"{"Statement":{"Effect":"Deny","Principal":"*","Action":"ecr:PutImage"}}"#, kind: .resource)
        let policy = deny.map { NamedPolicy(id: "RepositoryPolicy", source: .resource, document: $0) }
        #expect(PolicyEvaluation.evaluate(request, identity: .root, resource: policy, resourceAccount: "111111111111").decision == .explicitDeny)
    }
}
