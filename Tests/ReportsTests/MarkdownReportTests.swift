import Checks
import Foundation
import Testing

@testable import Reports

@Suite("Markdown and report files")
struct MarkdownReportTests {
    @Test func markdownStructure() {
        let markdown = MarkdownReport(language: .en).render(Fixtures.sample())
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "## ⚠️ ECR lab (`ecr-lab`)")
        #expect(markdown.contains("**Score: 45/100 (45.0%)**"))
        #expect(markdown.contains("| | Step | Points | Message |"))
        #expect(markdown.contains("| ✅ | `repo-aws-lbc` Repository aws-load-balancer-controller exists | 10/10 | The repository exists |"))
        #expect(markdown.contains("| ❌ | `image-nginx` Image pushed: nginx:1.27 | 0/20 | Tag 1.27 not found in public.ecr.aws/nginx/nginx |"))
        #expect(markdown.contains("| ⚠️ | `cache-rule` Pull-through cache rule | 0/25 | `AccessDeniedException` Access denied |"))
        #expect(markdown.contains("| ⏭️ | `cache-nginx`"))
        #expect(markdown.contains("_passed earlier (2025-01-01T02:53:20Z)_"))
        #expect(markdown.contains("### What to do next"))
        #expect(markdown.contains("- ❌ **Image pushed: nginx:1.27** (`image-nginx`): Push tag 1.27 with docker push"))
        let tableRows = lines.filter { $0.hasPrefix("| ") && !$0.hasPrefix("| |") && !$0.hasPrefix("| ---") }
        #expect(tableRows.count == 5)
    }

    @Test func markdownKorean() {
        let markdown = MarkdownReport(language: .ko).render(Fixtures.sample())
        #expect(markdown.contains("**점수: 45/100 (45.0%)**"))
        #expect(markdown.contains("### 다음에 할 일"))
        #expect(markdown.contains("태그 1.27 이 없습니다"))
    }

    @Test func markdownEscapesCells() {
        var result = Fixtures.hostile()
        result.steps[1].message = LocalizedText("a | b\n<script>x</script>")
        let markdown = MarkdownReport(language: .en).render(result)
        #expect(markdown.contains("a \\| b<br>&lt;script&gt;x&lt;/script&gt;"))
        #expect(!markdown.contains("<script>"))
        #expect(!markdown.contains("\u{1B}"))
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| |") && !$0.hasPrefix("| ---") }
        #expect(rows.count == 5, "each step stays on one table row")
    }

    @Test func appendsToGitHubStepSummary() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("step-summary.md")
        try Data("# earlier step\n".utf8).write(to: file)
        let writer = ReportWriter(language: .en)
        let result = Fixtures.sample()
        let url = try writer.appendToGitHubStepSummary(result, environment: ["GITHUB_STEP_SUMMARY": file.path])
        #expect(url?.path == file.path)
        _ = try writer.appendToGitHubStepSummary(result, environment: ["GITHUB_STEP_SUMMARY": file.path])
        let content = try String(contentsOf: file, encoding: .utf8)
        #expect(content.hasPrefix("# earlier step\n## "))
        #expect(content.components(separatedBy: "**Score: 45/100 (45.0%)**").count == 3, "appended twice, not overwritten")

        #expect(try writer.appendToGitHubStepSummary(result, environment: [:]) == nil)
        #expect(try writer.appendToGitHubStepSummary(result, environment: ["GITHUB_STEP_SUMMARY": ""]) == nil)

        let fresh = directory.appendingPathComponent("new.md")
        _ = try writer.appendToGitHubStepSummary(result, environment: ["GITHUB_STEP_SUMMARY": fresh.path])
        #expect(FileManager.default.fileExists(atPath: fresh.path))

        let bad = directory.appendingPathComponent("missing-dir/summary.md").path
        let error = try #require(throws: ReportWriterError.self) {
            try writer.appendToGitHubStepSummary(result, environment: ["GITHUB_STEP_SUMMARY": bad])
        }
        #expect(error.description.contains("GITHUB_STEP_SUMMARY"))
        #expect(error.description.contains(bad))
    }

    @Test func writesAllFiles() throws {
        let directory = try Fixtures.temporaryDirectory().appendingPathComponent("nested/reports")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent().deletingLastPathComponent()) }
        let result = Fixtures.sample()
        let writer = ReportWriter(language: .ko, hostname: "host")
        let files = try writer.write(result, to: directory)
        #expect(files.map(\.lastPathComponent) == ["summary.json", "junit.xml", "summary.md", "summary.txt"])
        for file in files { #expect(FileManager.default.fileExists(atPath: file.path)) }
        #expect(try SummaryJSON.read(from: files[0]) == result)
        let junit = try String(contentsOf: files[1], encoding: .utf8)
        #expect(junit.contains("<testsuites>"))
        #expect(junit.contains("hostname=\"host\""))
        let text = try String(contentsOf: files[3], encoding: .utf8)
        #expect(text.contains("점수: 45/100 (45.0%)"))
        #expect(!text.contains("\u{1B}"), "summary.txt has no colour")
        // Writing again overwrites.
        #expect(try writer.write(result, to: directory).count == 4)
    }

    @Test func renderEachFormat() throws {
        let writer = ReportWriter(language: .en, hostname: "h")
        let result = Fixtures.sample()
        #expect(writer.render(result, format: .text).contains("Score: 45/100"))
        #expect(writer.render(result, format: .text, style: .ansi).contains("\u{1B}["))
        #expect(writer.render(result, format: .json).contains("\"schemaVersion\" : 1"))
        #expect(writer.render(result, format: .junit).contains("<testsuite "))
        #expect(writer.render(result, format: .markdown).hasPrefix("## "))
        #expect(ReportFormat(rawValue: "junit") == .junit)
        #expect(ReportFormat.allCases.map(\.rawValue) == ["text", "json", "junit", "markdown"])
    }

    @Test func writeIntoAFileFailsClearly() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let blocker = directory.appendingPathComponent("file")
        try Data().write(to: blocker)
        let error = try #require(throws: ReportWriterError.self) {
            try ReportWriter(language: .en).write(Fixtures.sample(), to: blocker.appendingPathComponent("out"))
        }
        #expect(error.description.contains("output directory"))
    }
}
