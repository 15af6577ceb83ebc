import Checks
import FuzzSupport

// The class roster reader (`labcheck grade --roster FILE`). An unusable file must be a
// `RosterFileError`; a bad row is kept as a row error with a line inside the file.
FuzzDriver.run { data in
    let text = String(decoding: data, as: UTF8.self)
    do {
        let roster = try RosterLoader.parse(text, source: "fuzz.csv")
        for error in roster.rowErrors where error.line < 1 {
            FuzzDriver.fail("row error with line \(error.line)")
        }
    } catch is RosterFileError {
    } catch {
        FuzzDriver.fail("RosterLoader.parse threw \(type(of: error)), not RosterFileError: \(error)")
    }
}
