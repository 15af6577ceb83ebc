import Foundation

extension RunningFakeECR {
    /// Starts injecting the faults of `plan` (nil: none), its seeded sequence anew.
    public func setFaults(_ plan: FaultPlan?) {
        app.faults.set(plan)
    }

    /// Faults injected since the plan was set, by "plane:operation:fault".
    public var injectedFaults: [String: Int] { app.faults.injected }
}
