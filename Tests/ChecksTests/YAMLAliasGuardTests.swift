import Checks
import Foundation
import Testing

/// Aliases are refused before the document is composed: a few hundred bytes of anchors and aliases
/// ("billion laughs") used to cost tens of seconds of CPU before being refused.
@Suite("YAML aliases in specs and plans")
struct YAMLAliasGuardTests {
    /// Nine levels of nine aliases each: 9^9 (387 million) leaves once expanded; ~300 bytes.
    static let bomb = """
        schemaVersion: 1
        lab: {id: bomb, title: Bomb}
        a: &a ["x","x","x","x","x","x","x","x","x"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        steps: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        """

    /// The same bomb as the keys of one mapping (Yams hashes keys to find duplicates: the slowest case).
    static let keyBomb = """
        a: &a ["x","x","x","x","x","x","x","x","x"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        steps: {? *h : 1, ? *h : 2}
        """

    static func specError(_ body: () throws -> Void) -> SpecError? {
        do {
            try body()
            return nil
        } catch let error as SpecError {
            return error
        } catch {
            Issue.record("expected a SpecError, got \(error)")
            return nil
        }
    }

    @Test("a billion-laughs spec is refused at its first alias, with file, line and column")
    func specBombIsRefused() throws {
        let error = try #require(Self.specError { _ = try SpecLoader.parse(Self.bomb, file: "bomb.yaml") })
        #expect(error.description == "bomb.yaml:4:8: aliases are not allowed in a check spec or lab plan (found *a); write the value out in full")
        #expect(error.line == 4)
        #expect(error.column == 8)
    }

    @Test("an alias used as a duplicated mapping key is refused too")
    func keyBombIsRefused() throws {
        let error = try #require(Self.specError { _ = try SpecLoader.parse(Self.keyBomb, file: "keys.yaml") })
        #expect(error.description.hasPrefix("keys.yaml:2:8: aliases are not allowed"), "\(error.description)")
    }

    @Test("a single harmless alias is refused as well; anchors alone are fine")
    func oneAliasIsRefused() throws {
        let spec = """
            schemaVersion: 1
            lab: {id: l, title: &t Lab}
            steps:
              - {id: s, phase: build, points: 1, title: *t, check: {kind: repositoryExists, repository: r}}
            """
        let error = try #require(Self.specError { _ = try SpecLoader.parse(spec, file: "one.yaml") })
        #expect(error.description.hasPrefix("one.yaml:4:45: aliases are not allowed"), "\(error.description)")

        let anchorOnly = spec.replacingOccurrences(of: "title: *t", with: "title: Step")
        let loaded = try SpecLoader.parse(anchorOnly, file: "anchor.yaml")
        #expect(loaded.steps.map(\.id) == ["s"])
    }

    @Test("the verify-lab plan loader shares the guard")
    func planBombIsRefused() throws {
        let plan = """
            schemaVersion: 1
            lab: &lab ecr-lab
            stages:
              - {id: *lab, scripts: [a.sh], score: 10}
            """
        let error = try #require(Self.specError { _ = try LabPlanLoader.parse(plan, file: "stages.yaml", labDirectory: nil) })
        #expect(error.description.hasPrefix("stages.yaml:4:10: aliases are not allowed"), "\(error.description)")
    }

    @Test("syntax errors are still reported by the composer, with their position")
    func syntaxErrorsStillReported() throws {
        let error = try #require(Self.specError { _ = try SpecLoader.parse("a: [1, 2\nb: *", file: "bad.yaml") })
        #expect(error.description.hasPrefix("bad.yaml:"), "\(error.description)")
        #expect(error.description.contains("YAML"), "\(error.description)")
    }
}
