import Foundation

/// Reads a class roster CSV. The header names the columns (any order); unknown columns or a missing
/// `student_id`/`account_id` column make the whole file unusable (`RosterFileError`); a bad row is
/// kept as a `RosterRowError` with its line number so the rest of the class is still graded.
///
/// The input is bounded (`RosterLimits`): a file with more student rows than one run grades, or with
/// so many bad rows that it is not a usable roster, is refused as soon as the limit is passed,
/// before the rest of it is read.
public enum RosterLoader {
    public static let columns = ["student_id", "name", "account_id", "role_arn", "external_id", "profile", "region", "cache_prefix", "deadline"]
    static let requiredColumns = ["student_id", "account_id"]

    public static func load(contentsOf url: URL, limits: RosterLimits = .standard) throws -> Roster {
        let size = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue
        if let size, size > limits.maximumFileBytes {
            throw RosterFileError(
                file: url.path, line: nil,
                problem: "the file is \(size) bytes, more than a roster of \(limits.maximumRows) students can be "
                    + "(limit \(limits.maximumFileBytes) bytes); is it the right file? Split a larger class into several rosters")
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw RosterFileError(file: url.path, line: nil, problem: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(text, source: url.path, limits: limits)
    }

    public static func parse(_ text: String, source: String, limits: RosterLimits = .standard) throws -> Roster {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        var reader = CSVReader(body)
        func nextRecord() throws -> CSVReader.Record? {
            do {
                return try reader.next()
            } catch {
                throw RosterFileError(file: source, line: error.line, problem: error.problem)
            }
        }
        guard let header = try nextRecord() else {
            throw RosterFileError(file: source, line: 1, problem: "the roster is empty; expected a header row: \(columns.joined(separator: ","))")
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for (index, name) in names.enumerated() {
            guard columns.contains(name) else {
                throw RosterFileError(file: source, line: header.line, problem: "unknown column '\(header.fields[index])' (column \(index + 1)); expected: \(columns.joined(separator: ", "))")
            }
            if names[..<index].contains(name) {
                throw RosterFileError(file: source, line: header.line, problem: "column '\(name)' appears twice")
            }
        }
        for required in requiredColumns where !names.contains(required) {
            throw RosterFileError(file: source, line: header.line, problem: "missing column '\(required)'")
        }
        guard names.contains("role_arn") || names.contains("profile") else {
            throw RosterFileError(file: source, line: header.line, problem: "needs a role_arn or a profile column to reach the accounts")
        }

        var entries: [RosterEntry] = []
        var errors: [RosterRowError] = []
        var seen: [String: Int] = [:]
        var rows = 0
        while let record = try nextRecord() {
            rows += 1
            if rows > limits.maximumRows {
                throw RosterFileError(file: source, line: record.line, problem: limits.tooManyRows)
            }
            let rowError: RosterRowError?
            switch row(record, names: names) {
            case .success(let entry):
                if let first = seen[entry.studentId] {
                    rowError = RosterRowError(line: record.line, studentId: entry.studentId,
                                              problem: "duplicate student_id '\(entry.studentId)' (first on line \(first))")
                } else {
                    seen[entry.studentId] = record.line
                    entries.append(entry)
                    rowError = nil
                }
            case .failure(let error):
                rowError = error
            }
            if let rowError {
                errors.append(rowError)
                if errors.count > limits.maximumBadRows {
                    throw RosterFileError(file: source, line: record.line, problem: limits.tooManyBadRows(errors))
                }
            }
        }
        return Roster(source: source, entries: entries, rowErrors: errors)
    }

    /// One data record as a student, or why it is not one.
    static func row(_ record: CSVReader.Record, names: [String]) -> Result<RosterEntry, RosterRowError> {
        guard record.fields.count == names.count else {
            return .failure(RosterRowError(line: record.line, studentId: nil, problem: "has \(record.fields.count) fields, the header has \(names.count)"))
        }
        var row: [String: String] = [:]
        for (name, value) in zip(names, record.fields) {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { row[name] = trimmed }
        }
        return entry(row, line: record.line)
    }

    static func entry(_ row: [String: String], line: Int) -> Result<RosterEntry, RosterRowError> {
        let studentId = row["student_id"]
        func fail(_ problem: String) -> Result<RosterEntry, RosterRowError> {
            .failure(RosterRowError(line: line, studentId: studentId, problem: problem))
        }
        guard let studentId else { return fail("student_id is empty") }
        guard studentId.count <= 64, studentId.allSatisfy({ $0.isLetter || $0.isNumber || "-_.@".contains($0) }) else {
            return fail("student_id '\(studentId)' may hold only letters, digits, '-', '_', '.', '@' (at most 64)")
        }
        guard let account = row["account_id"] else { return fail("account_id is empty") }
        guard account.count == 12, account.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return fail("account_id '\(account)' is not a 12-digit AWS account id")
        }
        let access: StudentAccess
        switch (row["role_arn"], row["profile"]) {
        case (let arn?, nil):
            let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 6, parts[0] == "arn", parts[2] == "iam", parts[5].hasPrefix("role/"), parts[5].count > 5 else {
                return fail("role_arn '\(arn)' is not a role ARN like arn:aws:iam::\(account):role/LabCheckGrader")
            }
            guard parts[4] == account else {
                return fail("role_arn '\(arn)' is in account \(parts[4]), not the student's account \(account)")
            }
            access = .role(arn: arn, externalId: row["external_id"])
        case (nil, let profile?):
            if row["external_id"] != nil { return fail("external_id is only used with role_arn") }
            access = .profile(profile)
        case (nil, nil):
            return fail("neither role_arn nor profile is given: one of them says how to reach the account")
        case (.some, .some):
            return fail("both role_arn and profile are given: use one of them")
        }
        if let region = row["region"], !(region.count >= 2 && region.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" })) {
            return fail("region '\(region)' is not an AWS region name")
        }
        var deadline: Date?
        if let text = row["deadline"] {
            guard let date = ISO8601Text.dateTime(text) else {
                return fail("deadline '\(text)' is not an ISO 8601 time with a zone, such as 2026-12-04T18:00:00+09:00 or 2026-12-04T09:00:00Z")
            }
            deadline = date
        }
        return .success(RosterEntry(studentId: studentId, name: row["name"], accountId: account, access: access,
                                    region: row["region"], cachePrefix: row["cache_prefix"], line: line, deadline: deadline))
    }
}

/// A roster file that cannot be used at all.
public struct RosterFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var problem: String
    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(problem)" }
}
