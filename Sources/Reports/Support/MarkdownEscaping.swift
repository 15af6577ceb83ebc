/// Markdown escaping shared by the student and class Markdown reports.
enum Markdown {
    /// Text in a table cell: one line, no pipes, no raw HTML.
    static func cell(_ text: String) -> String {
        inline(text).replacingOccurrences(of: "|", with: "\\|")
            .split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline })
            .joined(separator: "<br>")
    }

    /// Text outside code spans: no raw HTML, no control characters.
    static func inline(_ text: String) -> String {
        TextSanitizer.terminal(text)
            .replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Text inside a code span: one line, no backticks or pipes.
    static func code(_ text: String) -> String {
        TextSanitizer.singleLine(TextSanitizer.terminal(text))
            .replacingOccurrences(of: "`", with: "'")
            .replacingOccurrences(of: "|", with: "¦")
    }
}
