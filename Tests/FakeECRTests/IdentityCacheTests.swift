@testable import FakeECR
import Foundation
import Testing

/// `AccountDirectory.identity(of:enforcing:)` and `principal(accessKeyId:)` keep their answers (read
/// without entering the actor); each change to IAM or to the keys must show in the next one.
@Suite("identity answers follow IAM changes")
struct IdentityCacheTests {
    static let nobody = AccessPrincipal(accountId: "111111111111", arn: "arn:aws:iam::111111111111:user/nobody")

    static func directory() throws -> AccountDirectory {
        AccountDirectory(accounts: try IAMPrincipalsTests.parse(IAMPrincipalsTests.file), defaultAccountId: "111111111111")
    }

    static func statements(_ identity: IAMIdentity) -> Int {
        guard case .policies(let policies) = identity.policies else { return -1 }
        return policies.reduce(0) { $0 + $1.document.statements.count }
    }

    @Test("an inline policy put, then deleted, shows at once in the caller's identity")
    func inlinePolicyChanges() async throws {
        let directory = try Self.directory()
        let before = await directory.identity(of: Self.nobody, enforcing: true)
        #expect(Self.statements(before) == 0)
        #expect(await directory.identity(of: Self.nobody, enforcing: true) == before)
        let document = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]}"#
        try await directory.putInlinePolicy("111111111111", .user("nobody"), name: "all-ecr", document: document)
        #expect(Self.statements(await directory.identity(of: Self.nobody, enforcing: true)) == 1)
        // Not enforcing: the same principal's other answer is kept apart.
        #expect(await directory.identity(of: Self.nobody, enforcing: false).policies == .root)
        try await directory.deleteInlinePolicy("111111111111", .user("nobody"), name: "all-ecr")
        #expect(Self.statements(await directory.identity(of: Self.nobody, enforcing: true)) == 0)
    }

    @Test("a managed policy detached, then attached again, shows at once")
    func managedPolicyChanges() async throws {
        let directory = try Self.directory()
        let puller = AccessPrincipal(accountId: "111111111111", arn: "arn:aws:iam::111111111111:user/puller")
        let arn = IAMManagedPolicy.arn(accountId: "111111111111", name: "LabPull")
        #expect(Self.statements(await directory.identity(of: puller, enforcing: true)) == 1)
        try await directory.detach("111111111111", .user("puller"), policyArn: arn)
        #expect(Self.statements(await directory.identity(of: puller, enforcing: true)) == 0)
        try await directory.attach("111111111111", .user("puller"), policyArn: arn)
        #expect(Self.statements(await directory.identity(of: puller, enforcing: true)) == 1)
    }

    @Test("an access key created, asked for, then deleted, is unknown at once")
    func accessKeyChanges() async throws {
        let directory = try Self.directory()
        #expect(await directory.principal(accessKeyId: "AKIAIAMNOBODY0000001")?.arn == Self.nobody.arn)
        let (key, _) = try await directory.createAccessKey("111111111111", userName: "nobody", now: Date())
        #expect(await directory.principal(accessKeyId: key.accessKeyId)?.arn == Self.nobody.arn)
        #expect(await directory.principal(accessKeyId: key.accessKeyId)?.arn == Self.nobody.arn)
        try await directory.deleteAccessKey("111111111111", userName: "nobody", keyId: key.accessKeyId)
        #expect(await directory.principal(accessKeyId: key.accessKeyId) == nil)
        // The declared key, asked for (and kept) before, is still known.
        #expect(await directory.principal(accessKeyId: "AKIAIAMNOBODY0000001")?.arn == Self.nobody.arn)
        #expect(await directory.principal(accessKeyId: "AKIAUNKNOWN000000001") == nil)
    }

    /// Unique ids are kept in `--data-dir` and in trail records: the same text must give the same id in every
    /// version (these were made by the first implementation, before it wrote its bytes directly).
    @Test("IAM-style unique ids stay what they were")
    func stableIds() {
        let known = [
            "": "FOZ4DU7ELCJGADUI3", "AKIAIOSFODNN7EXAMPLE": "QP4BI7AEJUUZVXFSJ", "arn:aws:iam::123456789012:role/lab-grader": "U2NEYTMEGUYRZ52H7",
            "AKIAFAKEECRDEFAULT00": "JYNRSCUOML5W2NXL4", "é☃": "QCLT4QJMUV3XU7ORX",
        ]
        for (text, id) in known { #expect(AccountDirectory.stableId(text) == id, "\(text)") }
    }
}
