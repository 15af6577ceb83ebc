import ECRWire
import Foundation
import Testing

@testable import FakeECR

/// The hand-written repository name check against the botocore model's own pattern, compiled as a
/// regular expression: every string of 2 to 6 bytes over the bytes that matter to the grammar.
@Suite("Repository name grammar")
struct RepositoryNameGrammarTests {
    @Test("isRepositoryName accepts exactly what the model's pattern matches, for every short name")
    func matchesTheModelPattern() throws {
        let pattern = try #require(ECRConstraints.repositoryName.pattern)
        let regex = try NSRegularExpression(pattern: "^(?:" + pattern + ")$")
        let alphabet: [Character] = ["a", "0", ".", "_", "-", "/", "A"]
        var checked = 0, accepted = 0
        var mismatches: [String] = []
        func visit(_ prefix: String) {
            if prefix.count >= 2 {
                let range = NSRange(prefix.startIndex..., in: prefix)
                let expected = regex.firstMatch(in: prefix, range: range) != nil
                let found = ECRValidation.isRepositoryName(prefix)
                if expected != found, mismatches.count < 20 { mismatches.append("\(prefix): pattern \(expected), check \(found)") }
                checked += 1
                if found { accepted += 1 }
            }
            guard prefix.count < 6 else { return }
            for character in alphabet { visit(prefix + String(character)) }
        }
        visit("")
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(checked == (2...6).reduce(0) { $0 + Int(pow(7.0, Double($1))) })
        #expect(accepted > 1_000)
    }

    @Test("a pull through cache prefix is a path, optionally ending in '/', or ROOT")
    func repositoryPrefixes() {
        for good in ["ecr-public", "ab/", "a-b/c_d", "ROOT", "a__b"] { #expect(ECRValidation.isRepositoryPrefix(good), "\(good)") }
        for bad in ["a", "/ab", "ab//", "a..b", "a___b", "a.-b", "Ab", "ab/-c/"] { #expect(!ECRValidation.isRepositoryPrefix(bad), "\(bad)") }
    }
}
