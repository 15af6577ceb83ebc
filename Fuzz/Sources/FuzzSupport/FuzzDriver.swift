import Foundation

/// libFuzzer's driver, linked in by `-sanitize=fuzzer`. SwiftPM links executables with
/// `--defsym main=<module>_main`, which hides libFuzzer's own `main`; so each harness's entry point
/// (its `main.swift`) calls the driver itself.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// The harness's body: set once, before the driver starts, and only read afterwards (libFuzzer calls
/// back on the thread that called it).
nonisolated(unsafe) private var currentBody: ((Data) -> Void)?

private func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    currentBody?(data)
    return 0
}

public enum FuzzDriver {
    /// Runs libFuzzer with the process's arguments, feeding each input to `body`; exits with its status.
    public static func run(_ body: @escaping (Data) -> Void) -> Never {
        currentBody = body
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
    }

    /// A property every input must keep is broken: stop the run so libFuzzer saves the input.
    public static func fail(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
        FileHandle.standardError.write(Data("property broken at \(file):\(line): \(message)\n".utf8))
        abort()
    }
}
