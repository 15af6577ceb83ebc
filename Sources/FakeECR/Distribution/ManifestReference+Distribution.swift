import ECRWire

extension ManifestReference {
    /// The `<reference>` of `/v2/<name>/manifests/<reference>`: a digest when it has a `:`, a tag
    /// otherwise; TAG_INVALID or DIGEST_INVALID when malformed. A tag pushed must be a tag of the
    /// distribution API (`isTag`); a tag read (GET, HEAD, DELETE) need only be one of ECR's tag
    /// grammar (`isECRTag`), so that a well-formed tag that is not there, such as `.x`, is "not found".
    init(parsing text: String, reading: Bool = false) throws(DistributionError) {
        if text.contains(":") {
            try ContentDigest.validate(text)
            self = .digest(text)
            return
        }
        guard reading ? Self.isECRTag(text) : Self.isTag(text) else {
            let bounds = ECRConstraints.imageTag
            throw DistributionError.tagInvalid(
                "Invalid tag '\(text.prefix(bounds.max ?? 300))': a tag is \(bounds.min ?? 1) to \(bounds.max ?? 300) characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'")
        }
        self = .tag(text)
    }

    /// A tag of ECR's grammar, `[a-zA-Z0-9-_.]+` of 1 to 300 characters (what ECR looks up).
    static func isECRTag(_ text: String) -> Bool {
        ECRConstraints.imageTag.allowsLength(text.utf8.count) && text.utf8.allSatisfy(isTagByte)
    }

    private static func isTagByte(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }

    /// A tag of the distribution API: 1 to 300 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`.
    static func isTag(_ text: String) -> Bool {
        guard let first = text.utf8.first, ECRConstraints.imageTag.allowsLength(text.utf8.count), first != UInt8(ascii: "."), first != UInt8(ascii: "-")
        else {
            return false
        }
        return text.utf8.allSatisfy(isTagByte)
    }
}

extension ContentDigest {
    /// Checks a client-given digest: DIGEST_INVALID when malformed or of another algorithm.
    static func validate(_ digest: String) throws(DistributionError) {
        guard isValid(digest) else {
            throw DistributionError.digestInvalid("Invalid digest '\(digest.prefix(100))': expected 'sha256:' followed by 64 lowercase hex digits")
        }
    }
}
