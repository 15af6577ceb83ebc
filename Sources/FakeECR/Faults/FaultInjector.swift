import Foundation
import Synchronization

/// Decides, request by request, which fault of the plan (if any) a request gets. One seeded
/// generator for the whole fake, so a plan replays the same faults for the same sequence of requests.
/// Without a plan a request costs one uncontended lock.
final class FaultInjector: Sendable {
    private struct State {
        var plan: FaultPlan?
        var random = SplitMix64(seed: 0)
        /// Faults injected so far, by "plane:operation:fault".
        var injected: [String: Int] = [:]
    }

    private let state: Mutex<State>

    init(plan: FaultPlan?) {
        state = Mutex(State(plan: plan, random: SplitMix64(seed: plan?.seed ?? 0)))
    }

    var plan: FaultPlan? { state.withLock { $0.plan } }
    var injected: [String: Int] { state.withLock { $0.injected } }

    /// Replaces the plan (nil: no faults) and starts its sequence and counts anew.
    func set(_ plan: FaultPlan?) {
        state.withLock { $0 = State(plan: plan, random: SplitMix64(seed: plan?.seed ?? 0)) }
    }

    /// The rule whose fault this request gets, if any.
    func decide(_ plane: FaultPlan.Plane, _ operation: String) -> FaultPlan.Rule? {
        state.withLock { state in
            guard let plan = state.plan else { return nil }
            for rule in plan.rules where rule.matches(plane, operation) {
                // Every matching rule draws, so adding a rule never shifts which requests an earlier rule hits.
                if state.random.nextUnit() < rule.rate {
                    state.injected["\(plane.rawValue):\(operation):\(rule.fault.rawValue)", default: 0] += 1
                    return rule
                }
            }
            return nil
        }
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64): the same seed, the same sequence.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
