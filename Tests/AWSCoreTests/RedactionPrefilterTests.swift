import Foundation
import Testing

@testable import AWSCore

/// `SecretRedactor` skips its patterns for text that holds none of their words; that must never skip a
/// text the patterns would change.
@Suite struct RedactionPrefilterTests {
    /// The patterns applied to every text, with no prefilter (the reference).
    static func everyRule(_ text: String) -> String {
        var result = text
        for (expression, template) in SecretRedactor.compiledRules {
            result = expression.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result), withTemplate: template)
        }
        return result
    }

    static let texts = [
        "plain words, nothing secret", "Authorization: AWS4-HMAC-SHA256 Credential=AKID/x", "AUTHORIZATION=abc", "Bearer abcdefghijkl",
        "basic ZGVtbzpkZW1vZGVtbw==", #"{"SessionToken": "IQoJb3JpZ2luX2VjEJr"}"#, #"{"SECRETACCESSKEY":"wJalrXUtnFEMIK7MDENG"}"#,
        "<SessionToken>FwoGZXIvYXdzE</SessionToken>", "X-Amz-Security-Token=FQoGZXIvYXdzEJr&x=1", "x-amz-signature: 0123456789abcdef",
        "password=hunter22", "PassWd: hunter22", "token=abc", "TOKEN", "a signature", "secret_access_key=abcdefghij",
        // Non-ASCII: always through the rules (Unicode case folding: the Kelvin sign is a "k").
        "to\u{212A}en=abcdefgh", "naïve password=hunter22", "日本語のテキスト",
    ]

    @Test("redactPatterns agrees with every rule applied, on every text", arguments: texts)
    func agrees(text: String) {
        #expect(SecretRedactor.redactPatterns(text) == Self.everyRule(text))
    }

    @Test("text with none of the words skips the rules; each word alone does not")
    func prefilter() {
        #expect(!SecretRedactor.mayMatch("DescribeRepositories: RepositoryNotFoundException: lab/app in 123456789012"))
        for word in ["Authorization", "BASIC", "bearer", "Token", "sIgNaTuRe", "Secret", "PASSWORD", "passwd"] {
            #expect(SecretRedactor.mayMatch("x \(word) y"), "\(word)")
        }
        #expect(SecretRedactor.mayMatch("é"))
    }
}
