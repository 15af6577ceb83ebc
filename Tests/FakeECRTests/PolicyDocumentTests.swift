@testable import FakeECR
import Testing

/// The statement matching of repository policies and role trust (`PolicyDocument`).
@Suite("Policy statement matching")
struct PolicyDocumentTests {
    static let alice = AccessPrincipal(accountId: "111111111111", arn: "arn:aws:iam::111111111111:user/alice")
    static let session = AccessPrincipal(accountId: "111111111111", arn: "arn:aws:sts::111111111111:assumed-role/Grader/grading")

    static func decision(_ statement: String, _ principal: AccessPrincipal = alice, _ action: String = "ecr:BatchGetImage") -> PolicyDocument.Decision {
        PolicyDocument(text: #"{"Version":"2012-10-17","Statement":\#(statement)}"#)?.decision(for: principal, action: action) ?? .noMatch
    }

    @Test func principalsByStarAccountRootAndArn() {
        for principal in [#""*""#, #"{"AWS":"*"}"#, #"{"AWS":"111111111111"}"#, #"{"AWS":["999999999999","arn:aws:iam::111111111111:root"]}"#,
                          #"{"AWS":"arn:aws:iam::111111111111:user/alice"}"#] {
            #expect(Self.decision(#"[{"Effect":"Allow","Principal":\#(principal),"Action":"ecr:BatchGetImage"}]"#) == .allow, "\(principal)")
        }
        #expect(Self.decision(#"[{"Effect":"Allow","Principal":{"AWS":"999999999999"},"Action":"ecr:*"}]"#) == .noMatch)
        #expect(Self.decision(#"[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/bob"},"Action":"ecr:*"}]"#) == .noMatch)
        // A role's ARN names its sessions.
        #expect(Self.decision(#"[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/Grader"},"Action":"ecr:*"}]"#, Self.session) == .allow)
    }

    @Test func actionsWithWildcardsAnyCase() {
        for action in [#""ecr:*""#, #""*""#, #""ecr:Batch*""#, #""ECR:batchgetimage""#, #"["ecr:PutImage","ecr:BatchGet?mage"]"#] {
            #expect(Self.decision(#"{"Effect":"Allow","Principal":"*","Action":\#(action)}"#) == .allow, "\(action)")
        }
        #expect(Self.decision(#"[{"Effect":"Allow","Principal":"*","Action":"ecr:Put*"}]"#) == .noMatch)
        #expect(Self.decision(#"[{"Effect":"Allow","Principal":"*","Action":"s3:*"}]"#) == .noMatch)
    }

    @Test func anExplicitDenyWinsAndWhatIsNotEvaluatedNeverGrants() {
        #expect(Self.decision(#"[{"Effect":"Allow","Principal":"*","Action":"ecr:*"},{"Effect":"Deny","Principal":{"AWS":"111111111111"},"Action":"ecr:BatchGetImage"}]"#) == .explicitDeny)
        #expect(Self.decision(#"[{"Effect":"Allow","Principal":"*","Action":"ecr:*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]"#) == .noMatch)
        #expect(Self.decision(#"[{"Effect":"Deny","Principal":"*","Action":"ecr:*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]"#) == .explicitDeny)
        #expect(Self.decision(#"[{"Effect":"Allow","NotPrincipal":{"AWS":"999999999999"},"Action":"ecr:*"}]"#) == .noMatch)
        #expect(Self.decision(#"[{"Effect":"Maybe","Principal":"*","Action":"ecr:*"}]"#) == .noMatch)
        #expect(PolicyDocument(text: "not json") == nil)
    }
}
