/// Reads RFC 4180 CSV one record at a time: quoted fields (with doubled quotes and line breaks
/// inside), CRLF or LF rows. Each record keeps the line it started on, for error messages. Reading
/// record by record lets the caller stop as soon as it has seen enough (a roster over its limits).
struct CSVReader {
    struct Record {
        var line: Int
        var fields: [String]
    }

    struct Failure: Error {
        var line: Int
        var problem: String
    }

    private var characters: String.Iterator
    private var pending: Character?
    private var line = 1
    private var finished = false

    init(_ text: String) {
        characters = text.makeIterator()
    }

    /// Every record of `text` (for small inputs and tests).
    static func records(_ text: String) throws(Failure) -> [Record] {
        var reader = CSVReader(text)
        var records: [Record] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    /// The next record that is not an empty line; nil at the end of the text.
    mutating func next() throws(Failure) -> Record? {
        while !finished {
            if let record = try readRecord(), !(record.fields.count == 1 && record.fields[0].isEmpty) { return record }
        }
        return nil
    }

    /// One physical record (an empty line gives one empty field); nil when the text ended before it started.
    private mutating func readRecord() throws(Failure) -> Record? {
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var afterQuote = false
        var started = false
        let recordLine = line

        while let character = pending ?? characters.next() {
            pending = nil
            started = true
            if inQuotes {
                if character == "\"" {
                    if let next = characters.next() {
                        if next == "\"" { field.append("\"") } else { inQuotes = false; afterQuote = true; pending = next }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case ",":
                fields.append(field)
                field = ""
                afterQuote = false
            case "\n", "\r\n", "\r":
                line += 1
                fields.append(field)
                return Record(line: recordLine, fields: fields)
            case "\"":
                guard field.isEmpty, !afterQuote else {
                    throw Failure(line: line, problem: "a quote inside an unquoted field (quote the whole field and double the quote)")
                }
                inQuotes = true
            default:
                if afterQuote { throw Failure(line: line, problem: "text after a closing quote") }
                field.append(character)
            }
        }
        finished = true
        if inQuotes { throw Failure(line: recordLine, problem: "a quoted field is not closed") }
        guard started else { return nil }
        fields.append(field)
        return Record(line: recordLine, fields: fields)
    }
}
