import Foundation

/// Which phases a run grades and totals (`--phase`).
public enum PhaseSelection: String, Codable, Sendable, CaseIterable {
    case build
    case cleanup
    case all

    public func includes(_ phase: Phase) -> Bool {
        switch self {
        case .all: true
        case .build: phase == .build
        case .cleanup: phase == .cleanup
        }
    }
}
