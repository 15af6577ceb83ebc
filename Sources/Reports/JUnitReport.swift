import Checks
import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// JUnit XML that validates against both the strict Ant schema (windyroad JUnit.xsd) and
/// Jenkins xUnit's junit-10.xsd.
///
/// `<testsuites>` (no attributes) holds one `<testsuite>` per `Suite`: for one run, one per phase
/// present (`suites(for:)`); for a class, one per student (`render(suites:)` with suites built by
/// the caller). Each testsuite holds, in this order: `<properties>` (points, account, region and
/// each step's `step.<id>.points` / `step.<id>.earned`), one `<testcase>` per step with at most
/// one `<failure>`, `<error>` or `<skipped>`, then `<system-out>` and `<system-err>`.
///
/// All text goes through FoundationXML (libxml2), which escapes `<`, `&`, `>`, quotes and `]]>`;
/// characters XML 1.0 cannot hold (most C0 controls, U+FFFE/FFFF) are first made visible
/// (`\u{1B}` → `^[`).
public struct JUnitReport: Sendable {
    /// One `<testsuite>`: the steps of `result` (only those of `phase`, when given).
    public struct Suite: Sendable, Hashable {
        /// `testsuite@name`, e.g. "ecr-lab.build" or a student's id.
        public var name: String
        /// `testsuite@package`, e.g. the lab id or the class name.
        public var package: String
        public var result: LabResult
        /// When set, only this phase's steps are in the suite.
        public var phase: Phase?

        public init(name: String, package: String, result: LabResult, phase: Phase? = nil) {
            self.name = name
            self.package = package
            self.result = result
            self.phase = phase
        }

        public var steps: [StepResult] {
            guard let phase else { return result.steps }
            return result.steps(in: phase)
        }
    }

    /// Language of messages, titles and hints.
    public var language: Language
    /// `testsuite@hostname`.
    public var hostname: String

    /// `hostname` defaults to this machine's name ("localhost" when unknown).
    public init(language: Language, hostname: String? = nil) {
        self.language = language
        let name = TextSanitizer.xmlToken(hostname ?? ProcessInfo.processInfo.hostName)
        self.hostname = name.isEmpty ? "localhost" : name
    }

    /// One suite per phase present, named "<labId>.<phase>", package = labId.
    /// A result without steps gives one empty suite, so CI still sees the lab.
    public func suites(for result: LabResult) -> [Suite] {
        let phases = Phase.allCases.filter { !result.steps(in: $0).isEmpty }
        guard !phases.isEmpty else {
            let name: String
            switch result.phase {
            case .all: name = result.labId
            case .build: name = "\(result.labId).\(Phase.build.rawValue)"
            case .cleanup: name = "\(result.labId).\(Phase.cleanup.rawValue)"
            case .preflight: name = "\(result.labId).\(Phase.preflight.rawValue)"
            }
            return [Suite(name: name, package: result.labId, result: result)]
        }
        return phases.map { Suite(name: "\(result.labId).\($0.rawValue)", package: result.labId, result: result, phase: $0) }
    }

    /// The JUnit XML of one run.
    public func render(_ result: LabResult) -> String {
        render(suites: suites(for: result))
    }

    /// The JUnit XML of several suites in one `<testsuites>` (e.g. one per student).
    public func render(suites: [Suite]) -> String {
        document(suites: suites).xmlString(options: [.nodePrettyPrint]) + "\n"
    }

    /// `render(_:)` as UTF-8.
    public func data(_ result: LabResult) -> Data {
        Data(render(result).utf8)
    }

    /// `render(suites:)` as UTF-8.
    public func data(suites: [Suite]) -> Data {
        Data(render(suites: suites).utf8)
    }

    // MARK: - Building the document

    func document(suites: [Suite]) -> XMLDocument {
        let root = XMLElement(name: "testsuites")
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        for (index, suite) in suites.enumerated() {
            root.addChild(suiteElement(suite, id: index))
        }
        return document
    }

    /// One `<testsuite>`, `id` its position among the suites (for documents written a suite at a
    /// time); `extraProperties` are added after the suite's own, except names it already has.
    func suiteElement(_ suite: Suite, id: Int, extraProperties: [(String, String)] = []) -> XMLElement {
        let steps = suite.steps
        let result = suite.result
        let labels = ReportLabels(language)
        let element = XMLElement(name: "testsuite")
        let name = TextSanitizer.xmlToken(suite.name)
        let package = TextSanitizer.xmlToken(suite.package)
        element.setAttribute("name", name.isEmpty ? "labcheck" : name)
        element.setAttribute("package", package.isEmpty ? "labcheck" : package)
        element.setAttribute("id", String(id))
        element.setAttribute("timestamp", ReportDates.junitTimestamp(result.startedAt))
        element.setAttribute("hostname", hostname)
        element.setAttribute("tests", String(steps.count))
        element.setAttribute("failures", String(steps.filter { $0.status == .failed }.count))
        element.setAttribute("errors", String(steps.filter { $0.status == .error }.count))
        element.setAttribute("skipped", String(steps.filter { $0.status == .skipped || $0.status == .waived }.count))
        element.setAttribute("time", ReportNumbers.seconds(steps.reduce(0) { $0 + $1.durationSeconds }))

        let earned = steps.reduce(0) { $0 + $1.earned }
        let total = steps.reduce(0) { $0 + $1.points }
        let properties = XMLElement(name: "properties")
        var pairs: [(String, String)] = [
            ("lab.id", result.labId),
            ("points.earned", String(earned)),
            ("points.total", String(total)),
        ]
        if let account = result.accountId { pairs.append(("account", account)) }
        if let region = result.region { pairs.append(("region", region)) }
        if let student = result.studentId { pairs.append(("student", student)) }
        pairs.append(("phase", suite.phase?.rawValue ?? result.phase.rawValue))
        if let digest = result.specDigest { pairs.append(("lab.digest", digest)) }
        if let version = result.labcheckVersion { pairs.append(("labcheck.version", version)) }
        if let policy = labels.policyLine(result) { pairs.append(("policy", policy)) }
        for (index, warning) in result.warnings.enumerated() {
            pairs.append(("warning.\(index + 1).\(warning.code.rawValue)", warning.message.text(language)))
        }
        for step in steps {
            let key = "step.\(step.id)"
            pairs.append(("\(key).points", String(step.points)))
            pairs.append(("\(key).earned", String(step.earned)))
            pairs.append(("\(key).status", step.status.rawValue))
            if step.passedEarlier { pairs.append(("\(key).passedEarlier", "true")) }
            if let source = step.source { pairs.append(("\(key).source", source.rawValue)) }
            if let event = step.evidence?.event {
                pairs.append(("\(key).event.name", event.eventName))
                pairs.append(("\(key).event.time", ReportDates.iso8601(event.eventTime)))
                pairs.append(("\(key).event.id", event.eventId))
                if let arn = event.principalArn { pairs.append(("\(key).event.principal", arn)) }
            }
            if let conditions = step.conditions {
                pairs.append(("\(key).conditions", "\(step.metConditions.count)/\(conditions.count)"))
                if !step.missingConditions.isEmpty { pairs.append(("\(key).conditions.missing", step.missingConditions.joined(separator: ", "))) }
            }
            if step.isPartial { pairs.append(("\(key).partial", "true")) }
            if let policy = step.policy {
                if let specPoints = policy.specPoints { pairs.append(("\(key).specPoints", String(specPoints))) }
                if let workTime = policy.workTime { pairs.append(("\(key).workTime", ReportDates.iso8601(workTime))) }
                if let source = policy.workTimeSource { pairs.append(("\(key).workTime.source", source.rawValue)) }
                if let late = policy.late {
                    pairs.append(("\(key).late", late.withinLateWindow ? "\(late.daysLate)d -\(late.penaltyPercent)%" : "not counted"))
                }
                if let waiver = policy.waiver {
                    pairs.append(("\(key).waiver", waiver.applied ? waiver.grant.rawValue : "not applied"))
                    pairs.append(("\(key).waiver.reason", waiver.reason))
                    pairs.append(("\(key).waiver.expires", ReportDates.iso8601(waiver.expires)))
                }
                for (index, rule) in policy.rules.enumerated() { pairs.append(("\(key).rule.\(index + 1)", rule.text(language))) }
            }
            if let content = step.content {
                pairs.append(("\(key).content", content.verified ? "verified" : "not verified"))
                pairs.append(("\(key).content.upstream", content.upstream))
                pairs.append(("\(key).content.detail", content.detail.text(language)))
            }
            if let evidence = step.evidence {
                pairs.append(("\(key).firstPassedAt", ReportDates.iso8601(evidence.firstPassedAt)))
                for (observedKey, value) in Redaction.observed(evidence.observed).sorted(by: { $0.key < $1.key }) {
                    pairs.append(("\(key).evidence.\(observedKey)", value))
                }
            }
        }
        let own = Set(pairs.map(\.0))
        pairs += extraProperties.filter { !own.contains($0.0) }
        for (propertyName, value) in pairs {
            let property = XMLElement(name: "property")
            let token = TextSanitizer.xmlToken(propertyName)
            property.setAttribute("name", token.isEmpty ? "property" : token)
            property.setAttribute("value", TextSanitizer.xml(value))
            properties.addChild(property)
        }
        element.addChild(properties)

        let classname = TextSanitizer.xmlToken(result.labId)
        for step in steps {
            element.addChild(testcase(step, classname: classname.isEmpty ? "labcheck" : classname, labels: labels))
        }

        let out = "\(labels.scoreLine(result)) — \(name): \(earned)/\(total)\n"
        element.addChild(XMLElement(name: "system-out", stringValue: TextSanitizer.xml(out)))
        element.addChild(XMLElement(name: "system-err", stringValue: ""))
        return element
    }

    private func testcase(_ step: StepResult, classname: String, labels: ReportLabels) -> XMLElement {
        let testcase = XMLElement(name: "testcase")
        let title = step.title.text(language)
        let name = TextSanitizer.xmlToken(title.isEmpty ? step.id : "\(step.id): \(title)")
        testcase.setAttribute("name", name.isEmpty ? "step" : name)
        testcase.setAttribute("classname", classname)
        testcase.setAttribute("time", ReportNumbers.seconds(step.durationSeconds))

        let tags = labels.tags(step)
        let message = TextSanitizer.xml((tags.isEmpty ? "" : "[\(tags.joined(separator: ", "))] ") + step.message.text(language))
        var body = message
        for line in labels.policyLines(step) { body += "\n" + TextSanitizer.xml(line) }
        if let hint = step.hint?.text(language), !hint.isEmpty {
            body += "\n\(labels.hint): " + TextSanitizer.xml(hint)
        }
        let outcome: (element: String, type: String?)
        switch step.status {
        case .passed: return testcase
        case .failed: outcome = ("failure", step.errorType ?? "StepFailed")
        case .error: outcome = ("error", step.errorType ?? "StepError")
        case .skipped, .waived: outcome = ("skipped", nil)
        }
        let child = XMLElement(name: outcome.element, stringValue: body)
        if let type = outcome.type { child.setAttribute("type", TextSanitizer.xml(type)) }
        child.setAttribute("message", message)
        testcase.addChild(child)
        return testcase
    }
}
