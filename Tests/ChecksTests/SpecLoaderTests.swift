import Checks
import Foundation
import Testing

@Suite("Spec loading")
struct SpecLoaderTests {
    /// The repository's own spec: checks/ecr-lab.yaml.
    static let labSpecURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("checks/ecr-lab.yaml")

    @Test("the lab's spec loads: 10 graded steps and the pre-flight, 100 points, captures feed later steps")
    func labSpecLoads() throws {
        let spec = try SpecLoader.load(contentsOf: Self.labSpecURL)
        #expect(spec.id == "ecr-lab")
        #expect(spec.steps.count == 11)
        #expect(spec.steps.filter { $0.phase == .preflight }.map(\.id) == ["preflight-pull-push"])
        #expect(spec.totalPoints == 100)
        #expect(spec.steps.filter { $0.phase == .cleanup }.map(\.id) == ["cleanup-cache-rule", "cleanup-repositories"])
        let cacheRule = try #require(spec.step("cache-rule"))
        #expect(cacheRule.check.captures == "prefix")
        let nginx = try #require(spec.step("cache-nginx"))
        #expect(nginx.check.templates.first?.render(["prefix": "public-ecr-1"]) == "public-ecr-1/nginx/nginx")
        #expect(spec.steps.allSatisfy { !$0.title.ko.isEmpty && !$0.title.en.isEmpty && $0.hint != nil })
    }

    static let base = """
    schemaVersion: 1
    lab:
      id: t
      title: T
    steps:
      - id: a
        phase: build
        points: 5
        title: A
        check:
          kind: repositoryExists
          repository: r
    """

    struct BadSpec: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let line: Int?
        let fragment: String
        var testDescription: String { name }
    }

    static let badSpecs: [BadSpec] = [
        BadSpec(name: "unknown kind", yaml: base.replacingOccurrences(of: "repositoryExists", with: "repoExists"),
                line: 11, fragment: "unknown check kind 'repoExists'"),
        BadSpec(name: "missing parameter", yaml: base.replacingOccurrences(of: "      repository: r\n", with: "").replacingOccurrences(of: "      repository: r", with: ""),
                line: 11, fragment: "missing required key 'repository'"),
        BadSpec(name: "unknown parameter", yaml: base + "\n      tag: x", line: 13, fragment: "unknown parameter 'tag'"),
        BadSpec(name: "bad pattern", yaml: base + """

          - id: b
            phase: build
            points: 5
            title: B
            check:
              kind: pullThroughCacheRulePresent
              upstreamRegistryUrl: public.ecr.aws
              prefixPattern: "public-ecr-[0-9+"
        """, line: 20, fragment: "not a valid regular expression"),
        BadSpec(name: "duplicate id", yaml: base + """

          - id: a
            phase: build
            points: 1
            title: A2
            check: {kind: repositoryExists, repository: s}
        """, line: 13, fragment: "duplicate step id 'a' (first defined at line 6)"),
        BadSpec(name: "unknown needs", yaml: base.replacingOccurrences(of: "    points: 5\n", with: "    points: 5\n    needs: [zz]\n"),
                line: 6, fragment: "unknown step 'zz' in needs"),
        BadSpec(name: "dependency cycle", yaml: """
        schemaVersion: 1
        lab: {id: t, title: T}
        steps:
          - {id: a, phase: build, points: 1, title: A, needs: [b], check: {kind: repositoryExists, repository: r}}
          - {id: b, phase: build, points: 1, title: B, needs: [a], check: {kind: repositoryExists, repository: r}}
        """, line: 4, fragment: "dependency cycle: a -> b -> a"),
        BadSpec(name: "unknown variable", yaml: base.replacingOccurrences(of: "repository: r", with: "repository: ${prefix}/nginx"),
                line: 6, fragment: "unknown variable '${prefix}'"),
        BadSpec(name: "bad phase", yaml: base.replacingOccurrences(of: "phase: build", with: "phase: teardown"),
                line: 7, fragment: "unknown phase 'teardown'"),
        BadSpec(name: "points not a number", yaml: base.replacingOccurrences(of: "points: 5", with: "points: five"),
                line: 8, fragment: "expected a whole number, found 'five'"),
        BadSpec(name: "YAML syntax", yaml: "schemaVersion: 1\nlab: [unclosed\n", line: 3, fragment: "YAML"),
        BadSpec(name: "bad digest", yaml: base.replacingOccurrences(of: "kind: repositoryExists\n      repository: r", with: "kind: imageTagPresent\n      repository: r\n      tag: v1\n      digestOneOf: [sha256:abc]"),
                line: 14, fragment: "is not of the form sha256:<64 hex digits>"),
        BadSpec(name: "unsupported schema version", yaml: base.replacingOccurrences(of: "schemaVersion: 1", with: "schemaVersion: 9"),
                line: 1, fragment: "unsupported schemaVersion 9"),
    ]

    @Test("bad specs fail with file, line and what is wrong", arguments: badSpecs)
    func badSpecFails(_ bad: BadSpec) {
        do {
            _ = try SpecLoader.parse(bad.yaml, file: "spec.yaml")
            Issue.record("\(bad.name): loaded without error")
        } catch let error as SpecError {
            #expect(error.file == "spec.yaml")
            if let line = bad.line { #expect(error.line == line, "\(error)") }
            #expect(error.description.contains(bad.fragment), "\(error)")
            #expect(error.description.hasPrefix("spec.yaml:"))
        } catch {
            Issue.record("\(bad.name): unexpected error \(error)")
        }
    }

    @Test("templates render built-ins and captured values, and report unknown ones")
    func templates() throws {
        let template = try Template("${account}.dkr.ecr.${region}.amazonaws.com/${prefix}/nginx/nginx")
        #expect(template.variables == ["account", "region", "prefix"])
        #expect(template.render(["account": "1", "region": "r", "prefix": "p"]) == "1.dkr.ecr.r.amazonaws.com/p/nginx/nginx")
        #expect(template.render(["account": "1"]) == nil)
        #expect(throws: TemplateError.self) { try Template("${unclosed") }
    }
}
