import ArgumentParser
import Checks
import Foundation

/// `labcheck list`: the lab's steps, their phase, points and dependencies.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the lab's steps.")

    @OptionGroup var spec: SpecOptions

    @OptionGroup var language: LanguageOptions

    func run() throws {
        let spec = try self.spec.load()
        let language = self.language.language
        print("\(spec.title.text(language)) (\(spec.id)), \(spec.totalPoints) points")
        let idWidth = spec.steps.map(\.id.count).max() ?? 0
        let phaseWidth = spec.steps.map(\.phase.rawValue.count).max() ?? 0
        for step in spec.steps {
            let needs = step.needs.isEmpty ? "" : "  needs: \(step.needs.joined(separator: ", "))"
            let id = step.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
            print("  \(id)  \(step.phase.rawValue.padding(toLength: phaseWidth, withPad: " ", startingAt: 0))  \(String(format: "%3d", step.points))  \(step.title.text(language))\(needs)")
        }
    }
}
