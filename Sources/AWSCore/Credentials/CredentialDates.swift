import Foundation

/// Timestamps as the credential sources write them (ISO 8601, with or without fractional seconds).
enum CredentialDates {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: trimmed) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: trimmed)
    }

    static func format(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}

/// How long before `expiration` cached temporary credentials are refreshed (the SDKs' 5-minute window).
public let credentialRefreshMargin: TimeInterval = 5 * 60
