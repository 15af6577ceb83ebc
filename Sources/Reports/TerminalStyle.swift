import Checks
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether terminal output uses ANSI colours, and how text is coloured when it does.
public struct TerminalStyle: Sendable, Hashable {
    /// True when ANSI colour sequences are written.
    public var colors: Bool

    public init(colors: Bool) {
        self.colors = colors
    }

    /// No escape sequences at all (files, pipes, `NO_COLOR`).
    public static let plain = TerminalStyle(colors: false)
    /// ANSI colours.
    public static let ansi = TerminalStyle(colors: true)

    /// The style for an output stream.
    ///
    /// Rules, first match wins:
    /// 1. `FORCE_COLOR` set: colour on, unless its value is `0` or `false` (then off).
    /// 2. `NO_COLOR` set, with any value (even empty): colour off.
    /// 3. Not a terminal (piped, redirected): colour off.
    /// 4. `TERM=dumb`: colour off.
    /// 5. Otherwise (a terminal): colour on.
    public static func detect(isTTY: Bool, environment: [String: String]) -> TerminalStyle {
        if let force = environment["FORCE_COLOR"] {
            let value = force.trimmingCharacters(in: .whitespaces).lowercased()
            return TerminalStyle(colors: !(value == "0" || value == "false"))
        }
        if environment["NO_COLOR"] != nil { return .plain }
        guard isTTY else { return .plain }
        if environment["TERM"] == "dumb" { return .plain }
        return .ansi
    }

    /// The style for standard output of this process.
    public static func detectStandardOutput(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> TerminalStyle {
        detect(isTTY: isTerminal(fileDescriptor: STDOUT_FILENO), environment: environment)
    }

    /// True when the file descriptor is a terminal.
    public static func isTerminal(fileDescriptor: Int32) -> Bool {
        isatty(fileDescriptor) != 0
    }

    /// What a piece of text means; each role has its own colour.
    public enum Role: Sendable, Hashable {
        case passed, failed, error, skipped, dim, bold
    }

    /// `text` wrapped in the role's colour, or unchanged without colour.
    /// Apply after padding: escape sequences have no display width.
    public func apply(_ role: Role, _ text: String) -> String {
        guard colors, !text.isEmpty else { return text }
        let code: String
        switch role {
        case .passed: code = "32"
        case .failed: code = "31"
        case .error: code = "33"
        case .skipped: code = "90"
        case .dim: code = "2"
        case .bold: code = "1"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    func role(for status: StepStatus) -> Role {
        switch status {
        case .passed: .passed
        case .failed: .failed
        case .error: .error
        case .skipped: .skipped
        case .waived: .dim
        }
    }
}
