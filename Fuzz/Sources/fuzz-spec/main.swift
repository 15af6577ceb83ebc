import Checks
import FuzzSupport

// The check-spec loader, from YAML text as `labcheck --checks FILE` reads it. A refused spec must be a
// `SpecError` (file, line, field), never another error or a crash.
FuzzDriver.run { data in
    let text = String(decoding: data, as: UTF8.self)
    do {
        let spec = try SpecLoader.parse(text, file: "fuzz.yaml")
        if spec.steps.isEmpty { FuzzDriver.fail("a spec was accepted with no steps") }
    } catch is SpecError {
    } catch {
        FuzzDriver.fail("SpecLoader.parse threw \(type(of: error)), not SpecError: \(error)")
    }
}
