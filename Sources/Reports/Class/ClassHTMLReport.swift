import Checks
import Foundation

/// `class.html`: one self-contained page (inline CSS and JS, no fonts, images or requests; a
/// Content-Security-Policy forbids any) with the class average and counts, a sortable table of
/// students × steps (click a header; scores sort numerically), a mark per cell (symbol, colour and
/// text, with the step's message in its `title`), the pass rate of each step and the score
/// distribution as bars, and the students who could not be graded with the reason.
///
/// The page is written in pieces, each an `HTMLNode` (which escapes every text in one place): the
/// student tables a row at a time, so the page is never held whole in memory. Hover texts are cut
/// to `maximumHoverLength` characters; an error row's reason is on its score cell only.
public struct ClassHTMLReport: Sendable {
    public var language: Language

    public init(language: Language) {
        self.language = language
    }

    /// Hover texts (a cell's `title`) longer than this many characters are cut, with "…": the full
    /// message is in the student's own reports, and a class page stays small.
    public static let maximumHoverLength = 300

    public func render(_ classResult: ClassResult) -> String { ReportStream.memory { write(classResult, statistics: ClassStatistics(classResult), to: $0) }.text }

    public func data(_ classResult: ClassResult) -> Data { ReportStream.memory { write(classResult, statistics: ClassStatistics(classResult), to: $0) }.data }

    /// Writes the page in pieces: the sections around the two per-student tables are small trees;
    /// the tables' rows are rendered and written one student at a time.
    func write(_ classResult: ClassResult, statistics: ClassStatistics, to out: ReportStream) {
        let labels = ClassReportLabels(language)
        let title = "\(classResult.labTitle.text(language)) — \(labels.classReport)"
        let head = HTMLNode.el("head", [:], [
            .el("meta", ["charset": "utf-8"]),
            .el("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
            .el("meta", [
                "http-equiv": "Content-Security-Policy",
                "content": "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:",
            ]),
            .el("title", text: title),
            .el("style", [:], [.rawText(Self.css)]),
        ])
        let header = HTMLNode.el("header", [:], [
            .el("h1", text: title),
            .el("p", ["class": "meta"], text: [
                "\(labels.lab): \(classResult.labId)",
                "\(labels.phase): \(labels.base.selection(classResult.phase))",
                "\(labels.started): \(ReportDates.iso8601(classResult.startedAt))",
                "\(labels.finished): \(ReportDates.iso8601(classResult.finishedAt))",
            ].joined(separator: " · ")),
        ])
        out.write("<!DOCTYPE html>\n")
        out.write(HTMLNode.startTag("html", ["lang": language.rawValue]))
        out.write(head.rendered)
        out.write(HTMLNode.startTag("body") + HTMLNode.startTag("main"))
        out.write(header.rendered)
        out.write(summaryCards(statistics, labels).rendered)
        writeStudentsSection(classResult, labels, to: out)
        out.write(passRateSection(classResult, statistics, labels).rendered)
        out.write(distributionSection(statistics, labels).rendered)
        if statistics.errors > 0 { writeErrorSection(classResult.students, labels, to: out) }
        out.write(HTMLNode.endTag("main"))
        out.write(HTMLNode.el("script", [:], [.rawText(Self.script)]).rendered)
        out.write(HTMLNode.endTag("body") + HTMLNode.endTag("html") + "\n")
    }

    /// `text`, cut to `maximumHoverLength` characters.
    static func hover(_ text: String) -> String {
        guard text.count > maximumHoverLength else { return text }
        return String(text.prefix(maximumHoverLength - 1)) + "…"
    }

    // MARK: - Sections

    private func summaryCards(_ statistics: ClassStatistics, _ labels: ClassReportLabels) -> HTMLNode {
        func card(_ label: String, _ value: String, id: String) -> HTMLNode {
            .el("div", ["class": "card", "id": id], [
                .el("span", ["class": "card-value"], text: value),
                .el("span", ["class": "card-label"], text: label),
            ])
        }
        let average = statistics.averagePercentage.map { "\(ReportNumbers.oneDecimal($0))%" } ?? "—"
        return .el("section", ["class": "cards", "aria-label": labels.classAverage], [
            card(labels.classAverage, average, id: "class-average"),
            card(labels.students, String(statistics.students), id: "count-students"),
            card(labels.graded, String(statistics.graded), id: "count-graded"),
            card(labels.errors, String(statistics.errors), id: "count-errors"),
            card(labels.fullMarks, String(statistics.fullMarks), id: "count-full-marks"),
        ])
    }

    private func writeStudentsSection(_ classResult: ClassResult, _ labels: ClassReportLabels, to out: ReportStream) {
        func header(_ text: String, type: String, title: String? = nil) -> HTMLNode {
            .el("th", ["scope": "col", "data-type": type, "aria-sort": "none", "title": title], [
                .el("button", ["type": "button"], text: text)
            ])
        }
        var headers = [
            header(labels.studentId, type: "text"),
            header(labels.name, type: "text"),
            header(labels.account, type: "text"),
            header(labels.score, type: "number"),
            header("%", type: "number"),
        ]
        headers += classResult.steps.map { column in
            header(column.id, type: "number", title: "\(column.title.text(language)) (\(column.points) \(labels.points))")
        }
        let legend = StepStatus.allCases.map { status -> HTMLNode in
            .el("span", ["class": "mark \(status.rawValue)"], [
                .el("span", ["class": "sym", "aria-hidden": "true"], text: Self.symbol(status)),
                .text(" " + labels.status(status)),
            ])
        }
        out.write(HTMLNode.startTag("section", ["id": "results"]))
        out.write(HTMLNode.el("h2", text: labels.results).rendered)
        out.write(HTMLNode.el("p", ["class": "legend"], [.text(labels.legend + ": ")] + legend + [.text(" · " + labels.sortHint)]).rendered)
        out.write(HTMLNode.startTag("div", ["class": "table-wrap"]) + HTMLNode.startTag("table", ["id": "students", "class": "sortable"]))
        out.write(HTMLNode.el("thead", [:], [.el("tr", [:], headers)]).rendered)
        out.write(HTMLNode.startTag("tbody"))
        for (index, student) in classResult.students.enumerated() {
            out.write(studentRow(student, index: index, steps: classResult.steps, labels: labels).rendered)
        }
        out.write(HTMLNode.endTag("tbody") + HTMLNode.endTag("table") + HTMLNode.endTag("div") + HTMLNode.endTag("section"))
    }

    /// One row of the students table. An error row gives its reason once, on the score cell.
    private func studentRow(_ student: StudentOutcome, index: Int, steps: [StepColumn], labels: ClassReportLabels) -> HTMLNode {
        var cells: [HTMLNode] = [
            .el("th", ["scope": "row"], text: student.studentId),
            .el("td", [:], text: student.name ?? ""),
            .el("td", ["class": "account"], text: student.accountId ?? student.result?.accountId ?? ""),
        ]
        if let result = student.result {
            let percentage = ReportNumbers.oneDecimal(result.percentage)
            cells.append(.el("td", ["class": "num", "data-sort": percentage], text: "\(result.earnedPoints)/\(result.totalPoints)"))
            cells.append(.el("td", ["class": "num", "data-sort": percentage], text: "\(percentage)%"))
            for column in steps {
                cells.append(markCell(student.step(column.id), column: column, labels: labels))
            }
        } else {
            let reason = Self.hover(student.error.map(\.description) ?? labels.notGraded)
            cells.append(.el("td", ["class": "num not-graded", "data-sort": "-1", "title": reason], text: labels.notGraded))
            cells.append(.el("td", ["class": "num", "data-sort": "-1"], text: "—"))
            for _ in steps {
                cells.append(.el("td", ["class": "mark none", "data-sort": "-1"], text: "—"))
            }
        }
        return .el("tr", [
            "class": student.result == nil ? "error-row" : "graded", "data-index": String(index),
            "data-student": student.studentId,
        ], cells)
    }

    private func markCell(_ step: StepResult?, column: StepColumn, labels: ClassReportLabels) -> HTMLNode {
        guard let step else {
            return .el("td", ["class": "mark none", "data-sort": "-1", "title": labels.notListed], text: "—")
        }
        var tooltip = "\(labels.status(step.status)) (\(step.earned)/\(step.points))"
        let message = step.message.text(language)
        if step.status == .error, let type = step.errorType { tooltip += " \(type)" }
        if !message.isEmpty { tooltip += " — " + message }
        if step.status != .passed, let hint = step.hint?.text(language), !hint.isEmpty {
            tooltip += "\n\(labels.base.hint): \(hint)"
        }
        if let evidence = labels.base.evidence(step) { tooltip += "\n" + evidence }
        for line in labels.base.policyLines(step) { tooltip += "\n" + line }
        let tags = labels.base.tags(step)
        var classes = "mark \(step.status.rawValue)"
        if step.isLate { classes += " late" }
        if step.isPartial { classes += " partial" }
        var content: [HTMLNode] = [
            .el("span", ["class": "sym", "aria-hidden": "true"], text: Self.symbol(step.status)),
            .el("span", ["class": "word"], text: " " + labels.status(step.status)),
        ]
        // A waived cell says so in its word; late and partial are added as tags.
        for tag in tags where step.status != .waived {
            content.append(.el("span", ["class": "tag"], text: " " + tag))
        }
        return .el("td", ["class": classes, "data-sort": String(Self.rank(step.status)), "title": Self.hover(tooltip)], content)
    }

    private func passRateSection(_ classResult: ClassResult, _ statistics: ClassStatistics, _ labels: ClassReportLabels) -> HTMLNode {
        var rows: [HTMLNode] = []
        for column in classResult.steps {
            guard let stats = statistics.step(column.id) else { continue }
            let counts = StepStatus.allCases.map { status -> HTMLNode in
                .el("span", ["class": "mark \(status.rawValue)", "title": labels.status(status)], [
                    .el("span", ["class": "sym", "aria-hidden": "true"], text: Self.symbol(status)),
                    .text(" \(stats.count(status))"),
                ])
            }
            let fraction = labels.fraction(stats.passed, of: stats.graded, percentage: stats.percentage)
            rows.append(.el("tr", ["data-step": column.id], [
                .el("th", ["scope": "row", "title": column.title.text(language)], [
                    .el("code", [:], text: column.id), .text(" " + column.title.text(language)),
                ]),
                .el("td", ["class": "num"], text: String(column.points)),
                .el("td", ["class": "bar-cell"], [bar(percent: stats.percentage, label: "\(labels.passRate) \(column.id): \(fraction)")]),
                .el("td", ["class": "num"], text: fraction),
                .el("td", ["class": "counts"], counts),
            ]))
        }
        return .el("section", ["id": "pass-rates"], [
            .el("h2", text: labels.passRates),
            .el("table", ["class": "bars"], [
                .el("thead", [:], [.el("tr", [:], [
                    .el("th", ["scope": "col"], text: labels.step),
                    .el("th", ["scope": "col"], text: labels.points),
                    .el("th", ["scope": "col"], text: labels.passRate),
                    .el("th", ["scope": "col"], text: ""),
                    .el("th", ["scope": "col"], text: ""),
                ])]),
                .el("tbody", [:], rows),
            ]),
        ])
    }

    private func distributionSection(_ statistics: ClassStatistics, _ labels: ClassReportLabels) -> HTMLNode {
        let largest = max(1, statistics.distribution.map(\.count).max() ?? 1)
        let rows = statistics.distribution.map { bucket -> HTMLNode in
            let percent = Double(bucket.count) * 100 / Double(largest)
            return .el("tr", [:], [
                .el("th", ["scope": "row"], text: bucket.label),
                .el("td", ["class": "bar-cell"], [bar(percent: percent, label: "\(bucket.label)%: \(bucket.count)", kind: "histogram")]),
                .el("td", ["class": "num"], text: String(bucket.count)),
            ])
        }
        return .el("section", ["id": "distribution"], [
            .el("h2", text: labels.distribution),
            .el("table", ["class": "bars"], [
                .el("thead", [:], [.el("tr", [:], [
                    .el("th", ["scope": "col"], text: labels.range),
                    .el("th", ["scope": "col"], text: ""),
                    .el("th", ["scope": "col"], text: labels.count),
                ])]),
                .el("tbody", [:], rows),
            ]),
        ])
    }

    private func writeErrorSection(_ students: [StudentOutcome], _ labels: ClassReportLabels, to out: ReportStream) {
        out.write(HTMLNode.startTag("section", ["id": "errors"]))
        out.write(HTMLNode.el("h2", text: labels.errorRows).rendered)
        out.write(HTMLNode.startTag("table", ["class": "errors"]))
        out.write(HTMLNode.el("thead", [:], [.el("tr", [:], [
            .el("th", ["scope": "col"], text: labels.studentId),
            .el("th", ["scope": "col"], text: labels.name),
            .el("th", ["scope": "col"], text: labels.rosterLine),
            .el("th", ["scope": "col"], text: labels.errorType),
            .el("th", ["scope": "col"], text: labels.reason),
        ])]).rendered)
        out.write(HTMLNode.startTag("tbody"))
        for student in students where student.result == nil {
            out.write(HTMLNode.el("tr", ["data-student": student.studentId], [
                .el("th", ["scope": "row"], text: student.studentId),
                .el("td", [:], text: student.name ?? ""),
                .el("td", ["class": "num"], text: String(student.rosterLine)),
                .el("td", [:], [.el("code", [:], text: student.error?.type ?? "")]),
                .el("td", ["class": "reason"], text: student.error?.message ?? labels.notGraded),
            ]).rendered)
        }
        out.write(HTMLNode.endTag("tbody") + HTMLNode.endTag("table") + HTMLNode.endTag("section"))
    }

    /// A horizontal bar `percent` (0–100) wide; the width is the only generated style.
    private func bar(percent: Double, label: String, kind: String = "rate") -> HTMLNode {
        let width = ReportNumbers.oneDecimal(min(100, max(0, percent.isFinite ? percent : 0)))
        return .el("div", ["class": "bar \(kind)", "role": "img", "aria-label": label], [
            .el("div", ["class": "fill", "style": "width: \(width)%"])
        ])
    }

    // MARK: - Marks

    /// The symbol shown with a status (with its colour and word, never alone).
    public static func symbol(_ status: StepStatus) -> String {
        switch status {
        case .passed: "✔"
        case .failed: "✘"
        case .error: "⚠"
        case .skipped: "↷"
        case .waived: "⊘"
        }
    }

    /// Sort order of a step column: passed highest.
    static func rank(_ status: StepStatus) -> Int {
        switch status {
        case .passed: 3
        case .waived: 2
        case .error: 2
        case .skipped: 1
        case .failed: 0
        }
    }
}
