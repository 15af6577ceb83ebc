import Foundation

/// What ends a wait between rounds of watch mode.
enum WatchEvent: Sendable {
    /// The interval passed: grade again.
    case tick
    /// `q` was typed or Ctrl-C pressed: stop.
    case quit
}

/// The keys and signals watch mode listens to: `q` on a terminal's standard input (read without
/// waiting for Enter, not echoed), and SIGINT/SIGTERM. `restore()` gives the terminal back as it was.
final class WatchInput: @unchecked Sendable {
    let events: AsyncStream<WatchEvent>
    let continuation: AsyncStream<WatchEvent>.Continuation
    private var original: termios?
    private var signalSources: [any DispatchSourceSignal] = []

    init() {
        (events, continuation) = AsyncStream<WatchEvent>.makeStream()
    }

    /// Starts listening: signals always, keys when standard input is a terminal.
    func start() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let continuation = self.continuation
            source.setEventHandler { continuation.yield(.quit) }
            source.resume()
            signalSources.append(source)
        }
        guard isatty(STDIN_FILENO) == 1 else { return }
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return }
        original = settings
        settings.c_lflag &= ~tcflag_t(ICANON | ECHO)
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        let continuation = self.continuation
        // A blocking read of one byte at a time, off the cooperative pool; it ends with the process.
        Thread.detachNewThread {
            var byte: UInt8 = 0
            while read(STDIN_FILENO, &byte, 1) == 1 {
                if byte == UInt8(ascii: "q") || byte == UInt8(ascii: "Q") { continuation.yield(.quit) }
            }
        }
    }

    /// A tick after `seconds`, unless the task is cancelled first.
    func tick(after seconds: Double) -> Task<Void, Never> {
        let continuation = self.continuation
        return Task {
            try? await Task.sleep(for: WatchInterval(seconds: seconds).duration)
            if !Task.isCancelled { continuation.yield(.tick) }
        }
    }

    /// The terminal's settings as they were before `start()`.
    func restore() {
        if var settings = original { _ = tcsetattr(STDIN_FILENO, TCSANOW, &settings) }
        original = nil
    }
}
