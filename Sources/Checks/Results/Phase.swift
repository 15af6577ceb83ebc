/// The phases of the lab: a pre-flight of the student's permissions (no points), building resources, then deleting them.
public enum Phase: String, Codable, Sendable, CaseIterable {
    /// "You can pull and push": permissions checked with IAM's policy simulator; worth no points.
    case preflight
    case build
    case cleanup
}
