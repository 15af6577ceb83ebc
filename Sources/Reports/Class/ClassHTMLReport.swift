import Checks
import Foundation

/// `class.html`: one self-contained page (inline CSS and JS, no fonts, images or requests; a
/// Content-Security-Policy forbids any) with the class average and counts, a sortable table of
/// students × steps (click a header; scores sort numerically), a mark per cell (symbol, colour and
/// text, with the step's message in its `title`), the pass rate of each step and the score
/// distribution as bars, and the students who could not be graded with the reason.
///
/// The page is built as an `HTMLNode` tree, which escapes every text in one place.
public struct ClassHTMLReport: Sendable {
    public var language: Language

    public init(language: Language) {
        self.language = language
    }

    public func render(_ classResult: ClassResult) -> String {
        let labels = ClassReportLabels(language)
        let statistics = ClassStatistics(classResult)
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
        var main: [HTMLNode] = [
            .el("header", [:], [
                .el("h1", text: title),
                .el("p", ["class": "meta"], text: [
                    "\(labels.lab): \(classResult.labId)",
                    "\(labels.phase): \(labels.base.selection(classResult.phase))",
                    "\(labels.started): \(ReportDates.iso8601(classResult.startedAt))",
                    "\(labels.finished): \(ReportDates.iso8601(classResult.finishedAt))",
                ].joined(separator: " · ")),
            ]),
            summaryCards(statistics, labels),
            studentsSection(classResult, labels),
            passRateSection(classResult, statistics, labels),
            distributionSection(statistics, labels),
        ]
        let errorRows = classResult.students.filter { $0.result == nil }
        if !errorRows.isEmpty { main.append(errorSection(errorRows, labels)) }
        let body = HTMLNode.el("body", [:], [.el("main", [:], main), .el("script", [:], [.rawText(Self.script)])])
        return HTMLNode.el("html", ["lang": language.rawValue], [head, body]).document()
    }

    public func data(_ classResult: ClassResult) -> Data {
        Data(render(classResult).utf8)
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

    private func studentsSection(_ classResult: ClassResult, _ labels: ClassReportLabels) -> HTMLNode {
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
        var rows: [HTMLNode] = []
        for (index, student) in classResult.students.enumerated() {
            var cells: [HTMLNode] = [
                .el("th", ["scope": "row"], text: student.studentId),
                .el("td", [:], text: student.name ?? ""),
                .el("td", ["class": "account"], text: student.accountId ?? student.result?.accountId ?? ""),
            ]
            if let result = student.result {
                let percentage = ReportNumbers.oneDecimal(result.percentage)
                cells.append(.el("td", ["class": "num", "data-sort": percentage], text: "\(result.earnedPoints)/\(result.totalPoints)"))
                cells.append(.el("td", ["class": "num", "data-sort": percentage], text: "\(percentage)%"))
                for column in classResult.steps {
                    cells.append(markCell(student.step(column.id), column: column, labels: labels))
                }
            } else {
                let reason = student.error.map(\.description) ?? labels.notGraded
                cells.append(.el("td", ["class": "num not-graded", "data-sort": "-1", "title": reason], text: labels.notGraded))
                cells.append(.el("td", ["class": "num", "data-sort": "-1"], text: "—"))
                for _ in classResult.steps {
                    cells.append(.el("td", ["class": "mark none", "data-sort": "-1", "title": reason], text: "—"))
                }
            }
            rows.append(.el("tr", [
                "class": student.result == nil ? "error-row" : "graded", "data-index": String(index),
                "data-student": student.studentId,
            ], cells))
        }
        let legend = StepStatus.allCases.map { status -> HTMLNode in
            .el("span", ["class": "mark \(status.rawValue)"], [
                .el("span", ["class": "sym", "aria-hidden": "true"], text: Self.symbol(status)),
                .text(" " + labels.status(status)),
            ])
        }
        return .el("section", ["id": "results"], [
            .el("h2", text: labels.results),
            .el("p", ["class": "legend"], [.text(labels.legend + ": ")] + legend + [.text(" · " + labels.sortHint)]),
            .el("div", ["class": "table-wrap"], [
                .el("table", ["id": "students", "class": "sortable"], [
                    .el("thead", [:], [.el("tr", [:], headers)]),
                    .el("tbody", [:], rows),
                ])
            ]),
        ])
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
        return .el("td", ["class": "mark \(step.status.rawValue)", "data-sort": String(Self.rank(step.status)), "title": tooltip], [
            .el("span", ["class": "sym", "aria-hidden": "true"], text: Self.symbol(step.status)),
            .el("span", ["class": "word"], text: " " + labels.status(step.status)),
        ])
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

    private func errorSection(_ students: [StudentOutcome], _ labels: ClassReportLabels) -> HTMLNode {
        let rows = students.map { student -> HTMLNode in
            .el("tr", ["data-student": student.studentId], [
                .el("th", ["scope": "row"], text: student.studentId),
                .el("td", [:], text: student.name ?? ""),
                .el("td", ["class": "num"], text: String(student.rosterLine)),
                .el("td", [:], [.el("code", [:], text: student.error?.type ?? "")]),
                .el("td", ["class": "reason"], text: student.error?.message ?? labels.notGraded),
            ])
        }
        return .el("section", ["id": "errors"], [
            .el("h2", text: labels.errorRows),
            .el("table", ["class": "errors"], [
                .el("thead", [:], [.el("tr", [:], [
                    .el("th", ["scope": "col"], text: labels.studentId),
                    .el("th", ["scope": "col"], text: labels.name),
                    .el("th", ["scope": "col"], text: labels.rosterLine),
                    .el("th", ["scope": "col"], text: labels.errorType),
                    .el("th", ["scope": "col"], text: labels.reason),
                ])]),
                .el("tbody", [:], rows),
            ]),
        ])
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
        }
    }

    /// Sort order of a step column: passed highest.
    static func rank(_ status: StepStatus) -> Int {
        switch status {
        case .passed: 3
        case .error: 2
        case .skipped: 1
        case .failed: 0
        }
    }

    // MARK: - Inline CSS and JS (constants: the only unescaped text of the page)

    static let css: StaticString = """
        :root { color-scheme: light; --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9;
          --err: #9a6700; --err-bg: #fff8c5; --skip: #57606a; --skip-bg: #eaeef2; --line: #d0d7de; --accent: #0969da; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans KR", "Malgun Gothic", sans-serif;
          color: #1f2328; background: #f6f8fa; }
        main { max-width: 1200px; margin: 0 auto; padding: 24px; }
        h1 { font-size: 1.6em; margin: 0 0 4px; }
        h2 { font-size: 1.2em; margin: 28px 0 8px; }
        .meta, .legend { color: #57606a; margin: 4px 0 12px; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; min-width: 140px; }
        .card-value { display: block; font-size: 1.8em; font-weight: 600; }
        .card-label { color: #57606a; }
        #class-average .card-value { color: var(--accent); }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
        th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: middle; }
        thead th { background: #f6f8fa; position: sticky; top: 0; }
        thead th button { all: unset; cursor: pointer; font-weight: 600; }
        thead th button:focus-visible { outline: 2px solid var(--accent); }
        thead th[aria-sort="ascending"] button::after { content: " ▲"; }
        thead th[aria-sort="descending"] button::after { content: " ▼"; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .account { font-family: ui-monospace, monospace; }
        tbody th { white-space: nowrap; }
        .mark { white-space: nowrap; border-radius: 4px; }
        td.mark { text-align: center; }
        .mark.passed { color: var(--pass); background: var(--pass-bg); }
        .mark.failed { color: var(--fail); background: var(--fail-bg); }
        .mark.error { color: var(--err); background: var(--err-bg); }
        .mark.skipped { color: var(--skip); background: var(--skip-bg); }
        .mark.none { color: #8c959f; }
        .legend .mark, .counts .mark { padding: 1px 6px; margin-right: 4px; }
        .sym { font-weight: 700; }
        tr.error-row th, tr.error-row td.not-graded { color: var(--err); background: var(--err-bg); }
        table.bars { min-width: 60%; }
        .bar-cell { width: 40%; min-width: 160px; }
        .bar { height: 14px; background: #eaeef2; border-radius: 7px; overflow: hidden; }
        .bar .fill { height: 100%; background: var(--pass); }
        .bar.histogram .fill { background: var(--accent); }
        .reason { white-space: pre-wrap; }
        code { font-family: ui-monospace, monospace; font-size: 0.95em; }
        """

    static let script: StaticString = """
        (function () {
          "use strict";
          var table = document.getElementById("students");
          if (!table || !table.tHead || !table.tBodies.length) { return; }
          var heads = table.tHead.rows[0].cells;
          function key(cell) {
            return cell && cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : (cell ? cell.textContent.trim() : "");
          }
          Array.prototype.forEach.call(heads, function (th, column) {
            var button = th.querySelector("button");
            if (!button) { return; }
            button.addEventListener("click", function () {
              var direction = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
              Array.prototype.forEach.call(heads, function (other) { other.setAttribute("aria-sort", "none"); });
              th.setAttribute("aria-sort", direction);
              var numeric = th.getAttribute("data-type") === "number";
              var body = table.tBodies[0];
              var rows = Array.prototype.slice.call(body.rows);
              rows.sort(function (a, b) {
                var x = key(a.cells[column]), y = key(b.cells[column]);
                var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
                if (direction === "descending") { order = -order; }
                return order !== 0 ? order : Number(a.getAttribute("data-index")) - Number(b.getAttribute("data-index"));
              });
              rows.forEach(function (row) { body.appendChild(row); });
            });
          });
          table.setAttribute("data-sortable", "ready");
        })();
        """
}
