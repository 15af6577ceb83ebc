import BuiltInLab
import Checks

/// What `labcheck --version` prints: the version, and the built-in spec's id and digest (the rules a
/// grade without `--checks` is made by; every report records the same two).
enum VersionText {
    static var description: String {
        let digest = LabSpec.digest(ofText: BuiltInLab.specText)
        let id = (try? SpecLoader.parse(BuiltInLab.specText, file: BuiltInLab.specName).id) ?? "unreadable"
        return "labcheck \(LabCheckVersion.current)\nbuilt-in spec: \(id) \(digest)"
    }
}
