import ArgumentParser
import Foundation

/// `--watch` and `--interval` of `labcheck check`.
struct WatchOptions: ParsableArguments {
    @Flag(help: "Grade again every --interval and redraw the table in place (only changes when not on a terminal); stops at full marks, on q or Ctrl-C.")
    var watch = false

    @Option(help: ArgumentHelp("Time between rounds of --watch: 10s, 500ms, 2m, or seconds (1s or more).", valueName: "duration"))
    var interval: WatchInterval = WatchInterval(seconds: 10)

    func validate() throws {
        if !watch, interval.seconds != 10 {
            throw ValidationError("--interval is for --watch; add --watch or leave --interval out")
        }
    }
}

/// A time between rounds, read as a number with a unit (`ms`, `s`, `m`) or plain seconds.
struct WatchInterval: ExpressibleByArgument, Equatable, CustomStringConvertible {
    static let minimum = 1.0
    var seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
        let (number, scale) = units.first { text.hasSuffix($0.0) }.map { (String(text.dropLast($0.0.count)), $0.1) } ?? (text, 1)
        guard let value = Double(number), value.isFinite else { return nil }
        let seconds = value * scale
        guard seconds >= Self.minimum, seconds <= 24 * 3600 else { return nil }
        self.seconds = seconds
    }

    var description: String {
        seconds.truncatingRemainder(dividingBy: 60) == 0 && seconds >= 60 ? "\(Int(seconds / 60))m"
            : seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }

    var duration: Duration { .milliseconds(Int64((seconds * 1000).rounded())) }
}
