import Checks
import Foundation
import LabCheckTestSupport
import Testing

@testable import Reports

@Suite("Class report: HTML")
struct ClassReportHTMLTests {
    let classResult = ClassFixtures.sample()

    @Test func selfContained() {
        var classResult = classResult
        classResult.students[2].name = "No URL"  // the fixture's formula-like name holds a URL as text
        for language in Language.allCases {
            let html = ClassHTMLReport(language: language).render(classResult)
            #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"\(language.rawValue)\">"))
            for reference in ["http://", "https://", "src=", "href=", "<link", "<img", "<iframe", "@import", "url("] {
                #expect(!html.contains(reference), "\(language) page references \(reference)")
            }
            #expect(!html.contains("//"), "no protocol-relative references")
            #expect(html.contains("<style>") && html.contains("<script>"))
            #expect(html.contains("Content-Security-Policy"))
        }
    }

    @Test func tableMarksAndFigures() {
        let html = ClassHTMLReport(language: .en).render(classResult)
        #expect(html.contains("<table id=\"students\" class=\"sortable\">"))
        for id in ["s-001", "s-002", "s-003", "s-004", "s-005", "s-006", "s-007"] {
            #expect(html.contains("<tr class=\"") && html.contains("data-student=\"\(id)\""), "row of \(id)")
        }
        #expect(html.contains("<span class=\"card-value\">56.0%</span><span class=\"card-label\">Class average</span>"))
        // A failed mark: class (colour), symbol and word, and the message in the title.
        #expect(html.contains(
            "<td class=\"mark failed\" data-sort=\"0\" title=\"Failed (0/20) — Tag 1.27 not found in public.ecr.aws/nginx/nginx&#10;Hint: Push tag 1.27 with docker push\">")
            || html.contains("<td class=\"mark failed\" data-sort=\"0\" title=\"Failed (0/20) — Tag 1.27 not found in public.ecr.aws/nginx/nginx\nHint: Push tag 1.27 with docker push\">"))
        #expect(html.contains("<span class=\"sym\" aria-hidden=\"true\">✘</span><span class=\"word\"> Failed</span>"))
        #expect(html.contains("data-type=\"number\""))
        // Pass-rate bars and the histogram as CSS widths.
        #expect(html.contains("aria-label=\"Pass rate image-nginx: 2 / 5 (40.0%)\"><div class=\"fill\" style=\"width: 40.0%\">"))
        #expect(html.contains("aria-label=\"90–100%: 1\"><div class=\"fill\" style=\"width: 100.0%\">"))
        #expect(html.contains("aria-label=\"10–19%: 0\"><div class=\"fill\" style=\"width: 0.0%\">"))
        // Error rows with their reasons.
        #expect(html.contains("<section id=\"errors\">"))
        #expect(html.contains("<code>AssumeRoleFailed</code>"))
        #expect(html.contains("class.csv:8: account_id &#39;12x&#39; is not 12 digits"))
    }

    @Test func hostileTextIsEscaped() {
        var hostile = classResult
        hostile.steps[0].title = LocalizedText("<img src=x onerror=alert(1)> & \"t\" 'q' 제목")
        hostile.students[0].name = "</script><script>alert(1)</script>"
        let html = ClassHTMLReport(language: .en).render(hostile)
        #expect(!html.contains("<img"))
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<b>"), "the student's step title <b> is escaped")
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;t&quot; &#39;q&#39; 제목"))
        #expect(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("최 &lt;지&gt; &amp; &quot;우&quot;"))
        #expect(html.contains("message &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; 태그가 없습니다 ^[[31m"))
        #expect(!html.contains("\u{1B}"))
        #expect(html.components(separatedBy: "<script>").count == 2, "only the report's own script")
    }

    @Test func builderEscapesInOnePlace() {
        let node = HTMLNode.el("p", ["title": "a\"b'<c>&"], [.text("x < y & \u{0}z"), .el("br")])
        var out = ""
        node.render(into: &out)
        #expect(out == "<p title=\"a&quot;b&#39;&lt;c&gt;&amp;\">x &lt; y &amp; ^@z<br></p>\n")
    }

    @Test func koreanLabels() {
        let html = ClassHTMLReport(language: .ko).render(classResult)
        #expect(html.contains("<title>ECR 실습 — 반 성적표</title>"))
        #expect(html.contains("반 평균"))
        #expect(html.contains(" 실패</span>"))
        #expect(html.contains("채점하지 못한 학생"))
    }

    // MARK: - Headless Chromium

    private static var chromiumAvailable: Bool { ExternalTool.available("chromium") }

    /// Runs headless Chromium with a profile inside `directory` (removed with it).
    private func chromium(_ arguments: [String], in directory: URL) async throws -> (status: Int32, output: String) {
        let profile = directory.appendingPathComponent("chromium-profile", isDirectory: true)
        return try await ExternalTool.run(
            "chromium",
            ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--user-data-dir=\(profile.path)"]
                + arguments)
    }

    @Test(.enabled(if: chromiumAvailable || ExternalTool.required, "chromium not installed (apt-get install chromium)"))
    func chromiumRendersTheTableAndRunsTheScript() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("class.html")
        try ClassHTMLReport(language: .en).data(classResult).write(to: file)
        let run = try await chromium(["--dump-dom", file.absoluteString], in: directory)
        #expect(run.status == 0, "\(run.output.suffix(2000))")
        #expect(run.output.contains("<table id=\"students\" class=\"sortable\" data-sortable=\"ready\">"), "the script ran")
        for id in ["s-001", "s-004", "s-007"] {
            #expect(run.output.contains("data-student=\"\(id)\""))
        }
    }

    @Test(.enabled(if: chromiumAvailable || ExternalTool.required, "chromium not installed (apt-get install chromium)"))
    func clickingAHeaderSortsNumerically() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The report plus a test-only script that clicks the "%" header (ascending), or twice (descending).
        for (clicks, expected) in [
            (1, ["s-004", "s-007", "s-003", "s-002", "s-006", "s-005", "s-001"]),
            (2, ["s-001", "s-005", "s-006", "s-002", "s-003", "s-004", "s-007"]),
        ] {
            let html = ClassHTMLReport(language: .en).render(classResult)
            let click = "<script>var b = document.querySelectorAll('#students thead button')[4];"
                + String(repeating: " b.click();", count: clicks) + "</script></body>"
            let file = directory.appendingPathComponent("sorted-\(clicks).html")
            try Data(html.replacingOccurrences(of: "</body>", with: click).utf8).write(to: file)
            let run = try await chromium(["--dump-dom", file.absoluteString], in: directory)
            let order = run.output.components(separatedBy: "data-student=\"").dropFirst()
                .compactMap { $0.split(separator: "\"").first.map(String.init) }
                .prefix(7)
            #expect(Array(order) == expected, "after \(clicks) click(s)")
        }
    }

    @Test(.enabled(if: chromiumAvailable || ExternalTool.required, "chromium not installed (apt-get install chromium)"))
    func chromiumTakesAScreenshot() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("class.html")
        try ClassHTMLReport(language: .ko).data(classResult).write(to: file)
        let png = directory.appendingPathComponent("class.png")
        let run = try await chromium(["--screenshot=\(png.path)", "--window-size=1280,900", "--hide-scrollbars", file.absoluteString], in: directory)
        #expect(run.status == 0, "\(run.output.suffix(2000))")
        let data = try Data(contentsOf: png)
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        #expect(data.count > 10_000, "a page with content, not a blank image")
        // To look at it: LABCHECK_KEEP_SCREENSHOT=/tmp/class.png keeps the PNG (and /tmp/class.png.html, the page).
        if let keep = ProcessInfo.processInfo.environment["LABCHECK_KEEP_SCREENSHOT"], !keep.isEmpty {
            for (source, target) in [(png, keep), (file, keep + ".html")] {
                try? FileManager.default.removeItem(atPath: target)
                try FileManager.default.copyItem(at: source, to: URL(fileURLWithPath: target))
            }
        }
    }
}
