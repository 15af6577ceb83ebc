/// The two phases of the lab: building resources, then deleting them.
public enum Phase: String, Codable, Sendable, CaseIterable {
    case build
    case cleanup
}
