/// Makes arbitrary text (ECR messages, titles from a spec) safe for each output.
enum TextSanitizer {
    /// Text that XML 1.0 can hold: characters outside its `Char` production become visible.
    /// C0 controls other than tab, LF and CR are written in caret notation (`\u{1B}` → `^[`,
    /// `\u{0}` → `^@`, `\u{7}` → `^G`); U+FFFE and U+FFFF become U+FFFD.
    /// (Swift strings cannot hold lone surrogates.)
    static func xml(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isXMLChar($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isXMLChar(scalar) {
                out.append(scalar)
            } else {
                out.append(contentsOf: visible(scalar).unicodeScalars)
            }
        }
        return String(out)
    }

    /// Text for one line of an XML token attribute (names): whitespace runs become one space.
    static func xmlToken(_ text: String) -> String {
        xml(text).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Text that cannot drive a terminal: every control character except LF (and tab, as a space)
    /// becomes visible, so a message holding `ESC[2J` cannot clear the student's screen.
    static func terminal(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: out.append(scalar)
            case 0x09: out.append(" ")
            case 0x0D: continue
            case 0x00..<0x20, 0x7F, 0x80..<0xA0, 0xFFFE, 0xFFFF:
                out.append(contentsOf: visible(scalar).unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// One line of text: line breaks become spaces (table cells, single-line labels).
    static func singleLine(_ text: String) -> String {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline })
            .map { $0.trimmingTrailingWhitespace() }
            .joined(separator: " ")
    }

    static func isXMLChar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: true
        case 0x20...0xD7FF: true
        case 0xE000...0xFFFD: true
        case 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// Caret notation for C0 controls and DEL, U+FFFD for anything else that is not allowed.
    static func visible(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x00..<0x20:
            guard let caret = Unicode.Scalar(scalar.value + 0x40) else { return "\u{FFFD}" }
            return "^" + String(Character(caret))
        case 0x7F:
            return "^?"
        default:
            return "\u{FFFD}"
        }
    }
}

extension Substring {
    fileprivate func trimmingTrailingWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[startIndex..<end]
    }
}
