import FakeECR
import FuzzSupport

// The fake's fault plan (`fake-ecr serve --faults FILE`, `PUT /_fake/faults`). A refused plan is an
// `InputFileError`; an accepted one has rates in 0...1 and a latency only on latency faults.
FuzzDriver.run { data in
    do {
        let plan = try FaultPlan.parse(data, file: "faults.json")
        for rule in plan.rules {
            if !(0...1).contains(rule.rate) { FuzzDriver.fail("accepted rate \(rule.rate)") }
            if (rule.fault == .latency) != (rule.latencyMilliseconds != nil) {
                FuzzDriver.fail("accepted \(rule.fault) with latency \(String(describing: rule.latencyMilliseconds))")
            }
        }
    } catch is InputFileError {
    } catch {
        FuzzDriver.fail("FaultPlan.parse threw \(type(of: error)), not InputFileError: \(error)")
    }
}
