import Foundation

/// Which phases a run grades and totals (`--phase`). The pre-flight runs only when asked for (`--phase preflight`,
/// `labcheck doctor`): the lab's 100 points and the default runs are the build and cleanup phases.
public enum PhaseSelection: String, Codable, Sendable, CaseIterable {
    case build
    case cleanup
    case all
    case preflight

    public func includes(_ phase: Phase) -> Bool {
        switch self {
        case .all: phase != .preflight
        case .build: phase == .build
        case .cleanup: phase == .cleanup
        case .preflight: phase == .preflight
        }
    }
}
