import Checks
import Foundation
import Testing

@testable import Reports

@Suite("Class report: Markdown")
struct ClassReportMarkdownTests {
    let classResult = ClassFixtures.sample()

    @Test func englishReport() {
        let text = ClassMarkdownReport(language: .en).render(classResult)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "# ECR lab — Class report (`ecr-lab`)")
        #expect(text.contains("**Class average: 56.0%**"))
        #expect(text.contains("Students: 7 · Graded: 5 · Errors: 2 · Full marks: 1 · Phase: all"))
        #expect(text.contains("| `s-001` | 김민수 | 100/100 | 100.0 | ✅ | ✅ | ✅ | ✅ | ✅ |"))
        #expect(text.contains("| `s-002` | Lee, \"Jr\" | 45/100 | 45.0 | ✅ | ❌ | ⚠️ | ⏭️ | ✅ |"))
        #expect(text.contains("| `s-004` | Park Ji-woo | ⚠️ not graded | — | — | — | — | — | — |"))
        #expect(text.contains("| `image-nginx` Image pushed: nginx:1.27 | 20 | 2 / 5 (40.0%) | 2 | 3 | 0 | 0 |"))
        #expect(text.contains("| 90–100 | 1 | █ |"))
        #expect(text.contains("## Students who could not be graded"))
        #expect(text.contains("- `s-004` Park Ji-woo (Roster line 5): `AssumeRoleFailed` AccessDenied: User arn:aws:sts::999"))
        #expect(text.contains("- `s-007` (Roster line 8): `RosterError` class.csv:8: account_id '12x' is not 12 digits"))
        // Every table row has as many cells as its header.
        let studentRows = lines.filter { $0.hasPrefix("| `s-") }
        #expect(studentRows.count == 7)
        #expect(studentRows.allSatisfy { $0.components(separatedBy: " | ").count == 9 })
    }

    @Test func escapesNamesAndTitles() {
        let text = ClassMarkdownReport(language: .en).render(classResult)
        #expect(text.contains("최 &lt;지&gt; &amp; \"우\""))
        #expect(!text.contains("<지>"))
        #expect(!text.contains("\u{1B}"))
    }

    @Test func koreanLabels() {
        let text = ClassMarkdownReport(language: .ko).render(classResult)
        #expect(text.hasPrefix("# ECR 실습 — 반 성적표"))
        #expect(text.contains("**반 평균: 56.0%**"))
        #expect(text.contains("## 채점하지 못한 학생"))
        #expect(text.contains("## 단계별 통과율"))
    }
}
