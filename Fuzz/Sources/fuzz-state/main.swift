import FakeECR
import Foundation
import FuzzSupport

// The fake's state document (`fake-ecr serve --state FILE`, `PUT /_fake/state`): parsed and fully
// checked into registries. A refused document is an `InputFileError`; an accepted one survives the
// export and import of `GET`/`PUT /_fake/state` unchanged.
let defaults = RegistryKey(accountId: "123456789012", region: "ap-northeast-1")
let now = Date(timeIntervalSince1970: 1_767_225_600)

FuzzDriver.run { data in
    let states: [RegistryState]
    do {
        states = try StateDocument.states(from: data, file: "fuzz.json", defaults: defaults, now: now)
    } catch is InputFileError {
        return
    } catch {
        FuzzDriver.fail("StateDocument.states threw \(type(of: error)), not InputFileError: \(error)")
    }
    let exported: Data
    do {
        exported = try StateDocument(states: states).encoded()
    } catch {
        FuzzDriver.fail("an accepted state does not encode: \(error)")
    }
    do {
        let again = try StateDocument.states(from: exported, file: "export.json", defaults: defaults, now: now)
        let before = Dictionary(uniqueKeysWithValues: states.filter { !$0.isEmpty }.map { ($0.key, $0) })
        let after = Dictionary(uniqueKeysWithValues: again.filter { !$0.isEmpty }.map { ($0.key, $0) })
        if before != after {
            FuzzDriver.fail("export and import changed the state:\n\(String(decoding: exported, as: UTF8.self))")
        }
    } catch {
        FuzzDriver.fail("the export of an accepted state is refused: \(error)\n\(String(decoding: exported, as: UTF8.self))")
    }
}
