/// The `X-Amz-Target` header of the JSON 1.1 services: `<service's target prefix>.<operation>`.
public enum AmzTarget {
    /// The operation's name in `target` when it starts with `prefix` and a dot; nil otherwise. Read as
    /// UTF-8 bytes (the prefixes are ASCII): no string is built for the prefix, and there is no
    /// Character-wise comparison, whose grapheme breaking cost more than the rest of the lookup.
    public static func operationName(in target: String, prefix: String) -> String? {
        let prefix = prefix.utf8
        let bytes = target.utf8
        guard bytes.count > prefix.count, bytes.starts(with: prefix), bytes.dropFirst(prefix.count).first == UInt8(ascii: ".") else { return nil }
        return String(bytes.dropFirst(prefix.count + 1))
    }
}
