import Checks
import Foundation
import Testing

@testable import Reports

@Suite("Text report")
struct TextReportTests {
    private func rows(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { line in
            StepStatus.allCases.contains { line.hasPrefix("  \(TextReport.mark($0)) ") }
        }
    }

    @Test func englishLayout() throws {
        let text = TextReport(language: .en).render(Fixtures.sample())
        // What to do next comes first, before the table.
        #expect(text.hasPrefix("Next step: image-nginx — Image pushed: nginx:1.27\n  Hint: Push tag 1.27 with docker push\n\nECR lab (ecr-lab)\n"))
        #expect(text.contains("Account: 123456789012"))
        #expect(text.contains("Region: ap-northeast-2"))
        #expect(text.contains("Phase: all"))
        #expect(text.contains("Student: s-001"))
        #expect(text.contains("Build phase\n"))
        #expect(text.contains("Cleanup phase\n"))
        #expect(text.contains("Score: 45/100 (45.0%)\n"))
        #expect(text.contains("Passed 2 · Failed 1 · Error 1 · Skipped 1"))
        #expect(!text.contains("\u{1B}["), "plain style has no escape sequences")

        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let failedRow = try #require(lines.firstIndex { $0.hasPrefix("  ✗ image-nginx") })
        #expect(lines[failedRow].hasPrefix("  ✗ image-nginx"))
        #expect(lines[failedRow].hasSuffix(" 0/20"))
        #expect(lines[failedRow + 1] == "      Tag 1.27 not found in public.ecr.aws/nginx/nginx")
        #expect(lines[failedRow + 2] == "      Hint: Push tag 1.27 with docker push")
        #expect(text.contains("      [AccessDeniedException] Access denied\n      Hint: Grant"))
        #expect(text.contains("      Skipped: cache-rule did not pass\n      Hint: Create the cache rule first"))
        #expect(text.contains("passed earlier (2025-01-01T02:53:20Z)"))
        // The passed row has no message under it.
        #expect(!text.contains("The repository exists"))
    }

    @Test func koreanLabels() {
        let text = TextReport(language: .ko).render(Fixtures.sample())
        #expect(text.hasPrefix("다음 할 일: image-nginx — 이미지 푸시: nginx:1.27\n  힌트: docker push 로 1.27 태그를 푸시하세요\n\nECR 실습 (ecr-lab)\n"))
        #expect(text.contains("계정: 123456789012"))
        #expect(text.contains("점수: 45/100 (45.0%)\n"))
        #expect(text.contains("통과 2 · 실패 1 · 오류 1 · 건너뜀 1"))
        #expect(text.contains("힌트: docker push 로 1.27 태그를 푸시하세요"))
        #expect(text.contains("구축 단계"))
    }

    @Test func columnsAlignByDisplayWidth() throws {
        for language in Language.allCases {
            let result = Fixtures.sample()
            let rows = rows(TextReport(language: language).render(result))
            #expect(rows.count == result.steps.count)
            let widths = Set(rows.map { DisplayWidth.of($0) })
            #expect(widths.count == 1, "rows differ in display width (\(language)): \(rows)")
            // Titles start at the same column.
            let titleColumns = Set(zip(rows, result.steps).map { row, step -> Int in
                let title = step.title.text(language)
                guard let idRange = row.range(of: step.id),
                    let range = row.range(of: String(title.prefix(3)), range: idRange.upperBound..<row.endIndex)
                else { return -1 }
                return DisplayWidth.of(String(row[..<range.lowerBound]))
            })
            #expect(titleColumns.count == 1 && !titleColumns.contains(-1), "\(language): \(rows)")
            // Points end at the same column: the rows have equal width and end in points.
            #expect(zip(rows, result.steps).allSatisfy { $0.hasSuffix("\($1.earned)/\($1.points)") })
        }
        // The Korean rows are not equal in character count, so the test would catch counting characters.
        let koRows = rows(TextReport(language: .ko).render(Fixtures.sample()))
        #expect(Set(koRows.map(\.count)).count > 1)
    }

    @Test func longTitlesAreCut() {
        var result = Fixtures.sample()
        result.steps[0].title = LocalizedText(String(repeating: "가", count: 60))
        let rows = rows(TextReport(language: .ko, maxTitleWidth: 20).render(result))
        #expect(rows[0].contains(String(repeating: "가", count: 9) + "…"))
        #expect(Set(rows.map { DisplayWidth.of($0) }).count == 1)
    }

    @Test func displayWidths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of("ＡＢ") == 4)  // fullwidth forms
        #expect(DisplayWidth.of("漢字") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)  // combining accent
        #expect(DisplayWidth.of("\u{1100}\u{1161}") == 2)  // conjoining jamo 가
        #expect(DisplayWidth.of("✅") == 2)
        #expect(DisplayWidth.of("✓") == 1)
        #expect(DisplayWidth.pad("한", to: 4) == "한  ")
        #expect(DisplayWidth.padLeft("1/2", to: 5) == "  1/2")
        #expect(DisplayWidth.truncate("한국어입니다", to: 7) == "한국어…")
    }

    @Test func colourOnlyWhenAsked() {
        let coloured = TextReport(language: .en, style: .ansi).render(Fixtures.sample())
        #expect(coloured.contains("\u{1B}[31m✗\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[32m✓\u{1B}[0m"))
        // Colour does not change alignment: without escape sequences the rows are the plain rows.
        let stripped = coloured.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(stripped == TextReport(language: .en).render(Fixtures.sample()))
    }

    @Test func controlCharactersCannotDriveTheTerminal() {
        let text = TextReport(language: .en).render(Fixtures.hostile())
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{7}"))
        #expect(!text.contains("\u{0}"))
        #expect(text.contains("^[[31mred"))
    }

    @Test func terminalStyleRules() {
        #expect(TerminalStyle.detect(isTTY: true, environment: [:]) == .ansi)
        #expect(TerminalStyle.detect(isTTY: false, environment: [:]) == .plain, "piped")
        #expect(TerminalStyle.detect(isTTY: true, environment: ["NO_COLOR": "1"]) == .plain)
        #expect(TerminalStyle.detect(isTTY: true, environment: ["NO_COLOR": ""]) == .plain, "NO_COLOR with any value")
        #expect(TerminalStyle.detect(isTTY: false, environment: ["FORCE_COLOR": "1"]) == .ansi)
        #expect(TerminalStyle.detect(isTTY: false, environment: ["FORCE_COLOR": ""]) == .ansi)
        #expect(TerminalStyle.detect(isTTY: true, environment: ["FORCE_COLOR": "1", "NO_COLOR": "1"]) == .ansi)
        #expect(TerminalStyle.detect(isTTY: true, environment: ["FORCE_COLOR": "0"]) == .plain)
        #expect(TerminalStyle.detect(isTTY: true, environment: ["TERM": "dumb"]) == .plain)
        #expect(TerminalStyle.plain.apply(.failed, "x") == "x")
        #expect(TerminalStyle.ansi.apply(.failed, "x") == "\u{1B}[31mx\u{1B}[0m")
    }
}
