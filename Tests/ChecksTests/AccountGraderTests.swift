import AWSCore
import Checks
import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

@Suite("AccountGrader")
struct AccountGraderTests {
    @Test("credentials that reach another account than expected are refused, and no ledger is kept for it")
    func wrongAccount() async throws {
        let spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
        try await TestFakeECR.with { fake in
            try await fake.load(state: "complete")
            let ledgers = MemoryLedgerStore()
            let grader = AccountGrader(spec: spec, ledgers: ledgers)
            let error = await #expect(throws: AccountGradingError.self) {
                try await grader.grade(fake.clients(), .init(expectedAccountId: "111111111111"))
            }
            guard case .wrongAccount(let expected, let found) = error else {
                Issue.record("expected wrongAccount, got \(String(describing: error))")
                return
            }
            #expect(expected == "111111111111")
            #expect(found == TestFakeECR.accountId)
            let kept = try ledgers.load(labId: spec.id, accountId: TestFakeECR.accountId)
            #expect(kept.steps.isEmpty)
        }
    }

    @Test("the ledger store keeps the history between gradings: a pass stays a pass after cleanup")
    func memoryLedgerKeepsHistory() async throws {
        let spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
        try await TestFakeECR.with { fake in
            let grader = AccountGrader(spec: spec, ledgers: MemoryLedgerStore())
            try await fake.load(state: "complete")
            let built = try await grader.grade(fake.clients())
            #expect(built.steps.filter { $0.phase == .build }.allSatisfy { $0.status == .passed })
            try await fake.load(state: "cleaned-up")
            let cleaned = try await grader.grade(fake.clients())
            #expect(cleaned.percentage == 100, "\(cleaned.steps.map(\.message.en))")
            #expect(cleaned.steps.filter { $0.phase == .build }.allSatisfy { $0.passedEarlier })
        }
    }

    @Test("a corrupt ledger file is a ledger error naming the file, not an evaluation failure")
    func corruptLedger() async throws {
        let spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = LedgerStore(directory: directory)
        try Data("{not json".utf8).write(to: store.url(labId: spec.id, accountId: TestFakeECR.accountId))
        try await TestFakeECR.with { fake in
            let error = await #expect(throws: AccountGradingError.self) {
                try await AccountGrader(spec: spec, ledgers: store).grade(fake.clients())
            }
            guard case .ledger(let ledgerError) = error else {
                Issue.record("expected a ledger error, got \(String(describing: error))")
                return
            }
            #expect(ledgerError.file.hasSuffix("ledger-\(spec.id)-\(TestFakeECR.accountId).json"))
        }
    }
}

extension AccountGraderTests {
    @Test("a refused signature is an error about the credentials, not a missing IAM permission")
    func refusedSignature() async throws {
        let spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
        var configuration = TestFakeECR.configuration()
        configuration.accounts = AccountsFile(accounts: [
            .init(accountId: TestFakeECR.accountId, accessKeyId: "AKIASTUDENT000000001", secretAccessKey: "right-secret"),
        ])
        configuration.authMode = .sigv4
        try await TestFakeECR.with(configuration) { fake in
            let wrong = Credentials(accessKeyId: "AKIASTUDENT000000001", secretAccessKey: "wrong-secret")
            let result = try await AccountGrader(spec: spec, ledgers: MemoryLedgerStore())
                .grade(fake.clients(wrong), .init(accountId: TestFakeECR.accountId))
            let errors = result.steps.filter { $0.status == .error }
            #expect(!errors.isEmpty)
            for step in errors {
                #expect(step.errorType == "InvalidSignatureException", "\(step.id): \(step.errorType ?? "nil")")
                #expect(step.message.en.contains("the credentials were refused"), "\(step.message.en)")
                #expect(!step.message.en.contains("IAM"), "\(step.message.en)")
            }
        }
    }
}

@Suite("StudentError")
struct StudentErrorTests {
    @Test("kinds are written as the codes reports have always shown, and read back as kinds")
    func codes() throws {
        let kinds: [StudentError.Kind] = [
            .roster, .assumeRoleFailed, .credentialsFailed, .wrongAccount, .reportWriteFailed, .ledger,
            .evaluation(code: "AccessDeniedException"), .evaluation(code: "Timeout"),
        ]
        #expect(kinds.map(\.code) == [
            "RosterError", "AssumeRoleFailed", "CredentialsFailed", "WrongAccount", "ReportWriteFailed", "LedgerError",
            "AccessDeniedException", "Timeout",
        ])
        for kind in kinds {
            let data = try JSONEncoder().encode(StudentError(kind, message: "m"))
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.contains("\"type\":\"\(kind.code)\""), "\(text)")
            #expect(try JSONDecoder().decode(StudentError.self, from: data).kind == kind)
        }
        #expect(kinds.filter(\.isBadInput) == [.roster])
    }
}
