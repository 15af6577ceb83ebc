import Checks
import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// JUnit XML of a `labcheck verify-lab` run, for the lab's own CI: one `<testsuite>` per stage
/// (named `<lab>.<stage>`), holding one `<testcase>` per script (a failure names the command that
/// broke and carries the end of its output) and one for the score the stage must reach (a failure
/// lists the steps that kept it down). A stage that never ran (an earlier one failed) is `<skipped>`.
/// Validates against the same two schemas as `JUnitReport`.
public struct VerificationJUnitReport: Sendable {
    public var language: Language
    public var hostname: String
    /// The stages of the plan, so that stages after a failure appear as skipped.
    public var plan: LabPlan

    public init(plan: LabPlan, language: Language, hostname: String? = nil) {
        self.plan = plan
        self.language = language
        let name = TextSanitizer.xmlToken(hostname ?? ProcessInfo.processInfo.hostName)
        self.hostname = name.isEmpty ? "localhost" : name
    }

    public func render(_ verification: LabVerification) -> String {
        let root = XMLElement(name: "testsuites")
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        for (index, stage) in plan.stages.enumerated() {
            let outcome = verification.stages.first { $0.stage.id == stage.id }
            root.addChild(suite(stage, outcome: outcome, id: index, verification: verification))
        }
        return document.xmlString(options: [.nodePrettyPrint]) + "\n"
    }

    public func data(_ verification: LabVerification) -> Data { Data(render(verification).utf8) }

    private func suite(_ stage: LabPlan.Stage, outcome: StageOutcome?, id: Int, verification: LabVerification) -> XMLElement {
        var cases: [XMLElement] = []
        var failures = 0, errors = 0, skipped = 0
        for script in stage.scripts {
            let run = outcome?.scripts.first { $0.path == script }
            let testcase = testcase(name: "script \(script)", time: run?.durationSeconds ?? 0, stage: stage)
            if let run {
                if !run.succeeded {
                    failures += 1
                    let message = VerificationText.scriptFailure(run, stage: stage)
                    testcase.addChild(outcomeElement("failure", type: run.timedOut ? "ScriptTimedOut" : "ScriptFailed", message: message, body: message + "\n\n" + run.output))
                } else if let message = VerificationText.scriptRefusals(run), let refusals = run.probe?.refusals {
                    // --policy lab: what the lab's own policies did not allow is a failure of the lab's content.
                    failures += 1
                    let body = ([message] + refusals.map { VerificationText.refusalLine(script: run.path, $0) }).joined(separator: "\n")
                    testcase.addChild(outcomeElement("failure", type: "RefusedUnderLabPolicies", message: message, body: body))
                }
            } else {
                skipped += 1
                testcase.addChild(skippedElement(outcome == nil ? "an earlier stage failed" : "an earlier script of this stage failed"))
            }
            cases.append(testcase)
        }
        let scoreCase = testcase(name: "score >= \(ReportNumbers.oneDecimal(stage.score))%", time: outcome?.result?.durationSeconds ?? 0, stage: stage)
        if let outcome, outcome.scriptsPassed {
            if let error = outcome.checkError {
                errors += 1
                scoreCase.addChild(outcomeElement("error", type: "CheckError", message: error, body: error))
            } else if !outcome.scoreReached {
                failures += 1
                let message = VerificationText.scoreShortfall(outcome)
                let body = ([message] + VerificationText.missingStepLines(outcome, language: language)).joined(separator: "\n")
                scoreCase.addChild(outcomeElement("failure", type: "ScoreNotReached", message: message, body: body))
            }
        } else {
            skipped += 1
            scoreCase.addChild(skippedElement("the stage's scripts did not all run"))
        }
        cases.append(scoreCase)

        let element = XMLElement(name: "testsuite")
        let name = TextSanitizer.xmlToken("\(plan.labId).\(stage.id)")
        let package = TextSanitizer.xmlToken(plan.labId)
        element.setAttribute("name", name.isEmpty ? "verify-lab" : name)
        element.setAttribute("package", package.isEmpty ? "verify-lab" : package)
        element.setAttribute("id", String(id))
        element.setAttribute("timestamp", ReportDates.junitTimestamp(verification.startedAt))
        element.setAttribute("hostname", hostname)
        element.setAttribute("tests", String(cases.count))
        element.setAttribute("failures", String(failures))
        element.setAttribute("errors", String(errors))
        element.setAttribute("skipped", String(skipped))
        let time = (outcome?.scripts.reduce(0) { $0 + $1.durationSeconds } ?? 0) + (outcome?.result?.durationSeconds ?? 0)
        element.setAttribute("time", ReportNumbers.seconds(time))

        let properties = XMLElement(name: "properties")
        var pairs: [(String, String)] = [("lab.id", plan.labId), ("stage.id", stage.id), ("score.expected", ReportNumbers.oneDecimal(stage.score))]
        if let result = outcome?.result {
            pairs += [
                ("score.actual", ReportNumbers.oneDecimal(result.percentage)),
                ("points.earned", String(result.earnedPoints)),
                ("points.total", String(result.totalPoints)),
            ]
            // How each image step's pass was judged: on content (pins) or by tag only.
            for step in result.steps {
                guard let content = step.content else { continue }
                pairs.append(("step.\(step.id).content", content.verified ? "verified" : "not verified"))
                pairs.append(("step.\(step.id).content.detail", content.detail.text(language)))
            }
        }
        for (key, value) in pairs {
            let property = XMLElement(name: "property")
            property.setAttribute("name", key)
            property.setAttribute("value", TextSanitizer.xml(value))
            properties.addChild(property)
        }
        element.addChild(properties)
        for testcase in cases { element.addChild(testcase) }
        let out = outcome.map { VerificationText.stageLine($0) } ?? "\(stage.id): not run"
        element.addChild(XMLElement(name: "system-out", stringValue: TextSanitizer.xml(out + "\n")))
        element.addChild(XMLElement(name: "system-err", stringValue: ""))
        return element
    }

    private func testcase(name: String, time: Double, stage: LabPlan.Stage) -> XMLElement {
        let testcase = XMLElement(name: "testcase")
        let token = TextSanitizer.xmlToken(name)
        testcase.setAttribute("name", token.isEmpty ? "testcase" : token)
        let classname = TextSanitizer.xmlToken("\(plan.labId).\(stage.id)")
        testcase.setAttribute("classname", classname.isEmpty ? "verify-lab" : classname)
        testcase.setAttribute("time", ReportNumbers.seconds(time))
        return testcase
    }

    private func outcomeElement(_ kind: String, type: String, message: String, body: String) -> XMLElement {
        let element = XMLElement(name: kind, stringValue: TextSanitizer.xml(body))
        element.setAttribute("type", type)
        element.setAttribute("message", TextSanitizer.xml(message))
        return element
    }

    private func skippedElement(_ reason: String) -> XMLElement {
        let element = XMLElement(name: "skipped")
        element.setAttribute("message", reason)
        return element
    }
}
