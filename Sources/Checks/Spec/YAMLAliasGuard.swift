// libyaml's event parser, the one Yams composes with (Yams links it as its `CYaml` module).
import CYaml

/// Refuses YAML aliases (`*name`) before a document is composed. Aliases let a few hundred bytes stand
/// for billions of nodes ("billion laughs"): Yams composes them by sharing, but hashing a mapping's keys
/// and walking the tree cost time exponential in the nesting. Check specs and lab plans never need
/// them, so the first alias is an error with its position; this scan is linear in the text.
enum YAMLAliasGuard {
    static let problem = "aliases are not allowed in a check spec or lab plan"

    /// Throws a `SpecError` at the first alias of `text`. Syntax errors are left to the composer, which
    /// reports them with their position.
    static func refuseAliases(in text: String, file: String) throws {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw SpecError(file: file, line: nil, field: nil, problem: "YAML: could not start the parser (out of memory)")
        }
        defer { yaml_parser_delete(&parser) }
        try bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_ALIAS_EVENT:
                    let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
                    let shown = name.count > 40 ? String(name.prefix(40)) + "…" : name
                    throw SpecError(
                        file: file, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1, field: nil,
                        problem: "\(problem) (found *\(shown)); write the value out in full")
                case YAML_STREAM_END_EVENT:
                    return
                default:
                    continue
                }
            }
        }
    }
}
