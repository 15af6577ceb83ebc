/// The version of labcheck: what `labcheck --version` prints, the release tarball is named after, and
/// every report records beside the spec's digest. The one place it is written (scripts/release.sh reads it).
public enum LabCheckVersion {
    public static let current = "1.0.0"
}
