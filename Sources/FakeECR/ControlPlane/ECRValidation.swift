import ECRWire
import Foundation

/// Checks of request values against the botocore model's constraints, worded as ECR words them.
enum ECRValidation {
    /// The model's repository name pattern, `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*`,
    /// matched by hand (no regex compile per request).
    static func isRepositoryName(_ name: String) -> Bool {
        guard ECRConstraints.repositoryName.allowsLength(name.utf8.count) else { return false }
        return isPath(Substring(name))
    }

    /// The model's `ecrRepositoryPrefix`: 2–30 characters, a path that may end with `/`, or `ROOT`.
    static func isRepositoryPrefix(_ prefix: String) -> Bool {
        guard ECRConstraints.ecrRepositoryPrefix.allowsLength(prefix.utf8.count) else { return false }
        if prefix == "ROOT" { return true }
        let body = prefix.hasSuffix("/") ? prefix.dropLast() : Substring(prefix)
        return !body.isEmpty && isPath(body)
    }

    /// Components `[a-z0-9]+` joined by `/`, within a component alphanumeric runs joined by one
    /// separator run: `.`, `_`, `__` or one or more `-` (the distribution specification's path
    /// grammar). One pass over the bytes, nothing allocated: every call that names a repository asks.
    private static func isPath(_ path: Substring) -> Bool {
        // What the last bytes were: the start of a component, an alphanumeric run, or a separator run
        // (its first byte, and how long it is).
        var previousAlnum = false, atComponentStart = true
        var separator: UInt8 = 0, separatorLength = 0
        for byte in path.utf8 {
            if isAlnum(byte) {
                if separatorLength > 0 {
                    let ok = separator == UInt8(ascii: "-") || separatorLength == 1 || (separator == UInt8(ascii: "_") && separatorLength == 2)
                    guard ok else { return false }
                    separatorLength = 0
                }
                previousAlnum = true
                atComponentStart = false
            } else if byte == UInt8(ascii: "/") {
                guard previousAlnum else { return false }
                previousAlnum = false
                atComponentStart = true
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") {
                guard !atComponentStart else { return false }
                if separatorLength == 0 {
                    separator = byte
                } else if byte != separator {
                    return false
                }
                separatorLength += 1
                previousAlnum = false
            } else {
                return false
            }
        }
        return previousAlnum
    }

    private static func isAlnum(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    static func repositoryName(_ name: String) throws {
        guard isRepositoryName(name) else { throw ECRError.invalidRepositoryName() }
    }

    static func registryId(_ id: String?) throws {
        guard let id else { return }
        guard id.utf8.count == 12, id.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw ECRError.invalidParameter("registryId", "'must satisfy regular expression '\(ECRConstraints.registryId.pattern ?? "")''")
        }
    }

    /// A `maxResults` within the model's bounds.
    static func maxResults(_ value: Int?, field: String = "maxResults", constraint: WireConstraint = ECRConstraints.maxResults) throws {
        guard let value else { return }
        if let min = constraint.min, value < min {
            throw ECRError.invalidParameter(field, "'Member must have value greater than or equal to \(min)'")
        }
        if let max = constraint.max, value > max {
            throw ECRError.invalidParameter(field, "'Member must have value less than or equal to \(max)'")
        }
    }

    /// A Describe* call that names its items (`imageIds`, `repositoryNames`) does not page:
    /// `maxResults` or `nextToken` with them is an InvalidParameterException.
    static func listedWithoutPaging(_ field: String, _ count: Int, _ constraint: WireConstraint, maxResults: Int?, nextToken: String?) throws {
        if maxResults != nil || nextToken != nil {
            throw ECRError.invalidParameter(
                maxResults != nil ? "maxResults" : "nextToken", "'maxResults and nextToken cannot be used when \(field) is specified'")
        }
        try length(count, constraint, field: field)
    }

    /// A list (or a value's length) within the model's length bounds: InvalidParameterException otherwise.
    static func length(_ length: Int, _ constraint: WireConstraint, field: String) throws {
        guard constraint.allowsLength(length) else { throw ECRError.invalidParameter(field, "'\(constraint.lengthBetween)'") }
    }

    static func tagMutability(_ value: ImageTagMutability, filters: [ImageTagMutabilityExclusionFilter]?) throws {
        guard value.isKnown else {
            throw ECRError.invalidParameter(
                "imageTagMutability", "'Member must satisfy enum value set: [\(ImageTagMutability.knownValues.map(\.rawValue).joined(separator: ", "))]'")
        }
        let needsFilters = value == .immutableWithExclusion || value == .mutableWithExclusion
        if needsFilters, (filters ?? []).isEmpty {
            throw ECRError.invalidParameter(
                "imageTagMutabilityExclusionFilters",
                "'ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as \(value.rawValue)'")
        }
        if !needsFilters, let filters, !filters.isEmpty {
            throw ECRError.invalidParameter(
                "imageTagMutabilityExclusionFilters",
                "'ImageTagMutabilityExclusionFilters can only be used when imageTagMutability is set as IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION'")
        }
        if let filters {
            let bounds = ECRConstraints.imageTagMutabilityExclusionFilters
            guard filters.count <= bounds.max ?? filters.count else {
                throw ECRError.invalidParameter("imageTagMutabilityExclusionFilters", "'\(bounds.lengthAtMost)'")
            }
            for filter in filters {
                guard filter.filterType.isKnown, ECRConstraints.filter.accepts(filter.filter) else {
                    throw ECRError.invalidParameter(
                        "imageTagMutabilityExclusionFilters",
                        "'filter must satisfy regular expression '\(ECRConstraints.filter.pattern ?? "")' and filterType must be WILDCARD'")
                }
            }
        }
    }

    static func tags(_ tags: [Tag], existing: [Tag] = []) throws {
        for tag in tags {
            guard !tag.key.isEmpty, tag.key.count <= 128, tag.value.count <= 256, !tag.key.hasPrefix("aws:") else {
                throw ECRError(.invalidTagParameter, "The tag key '\(tag.key)' or its value is not valid: keys are 1 to 128 characters and must not start with 'aws:', values are at most 256 characters.")
            }
        }
        let keys = Set(existing.map(\.key)).union(tags.map(\.key))
        if keys.count > 50 {
            throw ECRError(.tooManyTags, "The number of tags on the resource would be \(keys.count), more than the maximum of 50.")
        }
    }

    /// `sha256:` followed by 64 lowercase hex digits (the form ECR computes).
    static func isDigest(_ digest: String) -> Bool {
        ECRConstraints.layerDigest.accepts(digest)
    }
}
