/// Trimming for header parsing without Foundation's `trimmingCharacters(in:)`, which on Linux
/// copies the text through NSString and UTF-16 on every call (most of the cost of parsing an
/// `Authorization` header). The sets are Foundation's on Linux: `whitespaces` is Unicode
/// category Zs plus tab and U+200B (zero width space); `whitespacesAndNewlines` adds
/// U+000A–U+000D, U+0085, U+2028 and U+2029.
extension StringProtocol {
    /// The same text as `trimmingCharacters(in: .whitespaces)`.
    func trimmingSigV4Whitespace() -> String {
        trimmingScalars(where: SigV4Trimming.isWhitespace)
    }

    /// The same text as `trimmingCharacters(in: .whitespacesAndNewlines)`.
    func trimmingSigV4WhitespaceAndNewlines() -> String {
        trimmingScalars(where: SigV4Trimming.isWhitespaceOrNewline)
    }

    private func trimmingScalars(where isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = Substring(self).unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isTrimmed(scalars[start]) { start = scalars.index(after: start) }
        while start < end {
            let last = scalars.index(before: end)
            guard isTrimmed(scalars[last]) else { break }
            end = last
        }
        return String(Substring(scalars[start..<end]))
    }
}

enum SigV4Trimming {
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x200B: return true
        case 0..<0x80: return false
        default: return scalar.properties.generalCategory == .spaceSeparator
        }
    }

    static func isWhitespaceOrNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return true
        default: return isWhitespace(scalar)
        }
    }
}
