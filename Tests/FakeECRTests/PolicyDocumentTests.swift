@testable import FakeECR
import Testing

/// Policy documents: IAM's strict parsing (MalformedPolicyDocument wording) and the statement
/// matching of repository policies and role trust.
@Suite("Policy statement matching")
struct PolicyDocumentTests {
    static let alice = AccessPrincipal(accountId: "111111111111", arn: "arn:aws:iam::111111111111:user/alice")
    static let session = AccessPrincipal(accountId: "111111111111", arn: "arn:aws:sts::111111111111:assumed-role/Grader/grading")

    /// The decision of a repository policy with `statement` for `principal` of another account (999…),
    /// whose identity allows everything: the repository policy alone decides.
    static func decision(_ statement: String, _ principal: AccessPrincipal = alice, _ action: String = "ecr:BatchGetImage") -> PolicyEvaluation.Decision {
        guard let document = try? PolicyDocument(text: #"{"Version":"2012-10-17","Statement":\#(statement)}"#, kind: .resource) else { return .implicitDeny }
        let request = PolicyRequest(principal: principal, action: action, resource: "arn:aws:ecr:us-east-1:999999999999:repository/app")
        return PolicyEvaluation.evaluate(
            request, identity: .root, resource: NamedPolicy(id: "RepositoryPolicy", source: .resource, document: document), resourceAccount: "999999999999"
        ).decision
    }

    static func error(_ text: String, kind: PolicyDocument.Kind = .identity) -> PolicyDocumentError? {
        do {
            _ = try PolicyDocument(text: text, kind: kind)
            return nil
        } catch {
            return error
        }
    }

    @Test func principalsByStarAccountRootAndArn() {
        for principal in [#""*""#, #"{"AWS":"*"}"#, #"{"AWS":"111111111111"}"#, #"{"AWS":["999999999999","arn:aws:iam::111111111111:root"]}"#,
                          #"{"AWS":"arn:aws:iam::111111111111:user/alice"}"#] {
            #expect(Self.decision(#"[{"Effect":"Allow","Principal":\#(principal),"Action":"ecr:BatchGetImage"}]"#) == .allowed, "\(principal)")
        }
        #expect(Self.decision(#"[{"Effect":"Allow","Principal":{"AWS":"999999999999"},"Action":"ecr:*"}]"#) == .implicitDeny)
        #expect(Self.decision(#"[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/bob"},"Action":"ecr:*"}]"#) == .implicitDeny)
        // A role's ARN names its sessions.
        #expect(Self.decision(#"[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/Grader"},"Action":"ecr:*"}]"#, Self.session) == .allowed)
    }

    @Test func actionsWithWildcardsAnyCase() {
        for action in [#""ecr:*""#, #""*""#, #""ecr:Batch*""#, #""ECR:batchgetimage""#, #"["ecr:PutImage","ecr:BatchGet?mage"]"#] {
            #expect(Self.decision(#"{"Effect":"Allow","Principal":"*","Action":\#(action)}"#) == .allowed, "\(action)")
        }
        #expect(Self.decision(#"[{"Effect":"Allow","Principal":"*","Action":"ecr:Put*"}]"#) == .implicitDeny)
        #expect(Self.decision(#"[{"Effect":"Allow","Principal":"*","Action":"s3:*"}]"#) == .implicitDeny)
    }

    @Test func anExplicitDenyWinsAndConditionsAreEvaluated() {
        #expect(Self.decision(#"[{"Effect":"Allow","Principal":"*","Action":"ecr:*"},{"Effect":"Deny","Principal":{"AWS":"111111111111"},"Action":"ecr:BatchGetImage"}]"#) == .explicitDeny)
        // aws:PrincipalOrgID is not in the request context: the Allow does not apply.
        #expect(Self.decision(#"[{"Effect":"Allow","Principal":"*","Action":"ecr:*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]"#) == .implicitDeny)
        // aws:SecureTransport is absent here too: the Bool test is false and the Deny does not apply.
        #expect(Self.decision(#"[{"Effect":"Allow","Principal":"*","Action":"ecr:*"},{"Effect":"Deny","Principal":"*","Action":"ecr:*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]"#) == .allowed)
        #expect(Self.decision(#"[{"Effect":"Allow","NotPrincipal":{"AWS":"999999999999"},"Action":"ecr:*"}]"#) == .allowed)
        #expect(Self.decision(#"[{"Effect":"Allow","NotPrincipal":{"AWS":"111111111111"},"Action":"ecr:*"}]"#) == .implicitDeny)
    }

    @Test func malformedDocumentsInIAMsWords() {
        #expect(Self.error("not json")?.message == "Syntax errors in policy.")
        #expect(Self.error(#"{"Statement":[{"Effect":"Maybe","Action":"ecr:*","Resource":"*"}]}"#)?.element == "Statement[0].Effect")
        #expect(Self.error(#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":"*"}]}"#)?.message
            == "Policy document should not specify a principal.")
        #expect(Self.error(#"{"Statement":[{"Effect":"Allow","Action":"ecr:*"}]}"#)?.message == "Policy statement must contain resources.")
        #expect(Self.error(#"{"Statement":[{"Effect":"Allow","Resource":"*"}]}"#)?.message == "Policy statement must contain actions.")
        #expect(Self.error(#"{"Statement":[{"Effect":"Allow","Action":"PutImage","Resource":"*"}]}"#)?.message
            == "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
        #expect(Self.error(#"{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"repo"}]}"#)?.message == #"Resource repo must be in ARN format or "*"."#)
        #expect(Self.error(#"{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*","Condition":{"StringEqual":{"aws:username":"a"}}}]}"#)?.message
            == "Invalid Condition type : StringEqual")
        #expect(Self.error(#"{"Version":"2012-10-18","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}"#)?.element == "Version")
        #expect(Self.error(#"{"Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*","Actions":"x"}]}"#)?.element == "Statement[0].Actions")
        #expect(Self.error(#"{"Statement":[{"Effect":"Allow","Action":"ecr:*"}]}"#, kind: .resource)?.message == "Missing required field Principal")
        #expect(Self.error(#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"bob"},"Action":"ecr:*"}]}"#, kind: .resource)?.message
            == #"Invalid principal in policy: "AWS":"bob""#)
        #expect(Self.error(#"{"Version":"2012-10-17","Statement":{"Sid":"Pull","Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}}"#, kind: .resource) == nil)
    }

    @Test func conditionOperatorNames() {
        #expect(PolicyCondition.parseOperator("ForAnyValue:StringNotLikeIfExists").map { "\($0.0?.rawValue ?? "-") \($0.1.rawValue) \($0.2)" }
            == "ForAnyValue StringNotLike true")
        #expect(PolicyCondition.parseOperator("Null").map { $0.1 } == .null)
        #expect(PolicyCondition.parseOperator("ForSomeValues:StringLike") == nil)
    }

    @Test func ipBlocks() {
        #expect(IPBlock("203.0.113.0/24")?.contains(IPBlock("203.0.113.200")!) == true)
        #expect(IPBlock("203.0.113.0/24")?.contains(IPBlock("203.0.114.1")!) == false)
        #expect(IPBlock("2001:DB8:1234:5678::/64")?.contains(IPBlock("2001:db8:1234:5678:abcd::1")!) == true)
        #expect(IPBlock("2001:DB8:1234:5678::/64")?.contains(IPBlock("203.0.113.1")!) == false)
        #expect(IPBlock("300.1.1.1") == nil)
    }
}
