import Foundation

/// Locale-independent number formatting (no grouping, "." as decimal point).
enum ReportNumbers {
    /// 45 → "45.0", 33.333 → "33.3".
    static func oneDecimal(_ value: Double) -> String {
        fixed(value, decimals: 1)
    }

    /// Seconds with exactly three decimals, never negative: JUnit `time` ("0.123").
    static func seconds(_ value: Double) -> String {
        fixed(value.isFinite ? max(0, value) : 0, decimals: 3)
    }

    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e15 else { return String(value) }
        let units = Int64(scaled)
        let factor = Int64(scale)
        let whole = units / factor
        let fraction = units % factor
        let sign = value < 0 && units != 0 ? "-" : ""
        guard decimals > 0 else { return "\(sign)\(whole)" }
        let digits = String(fraction)
        return "\(sign)\(whole)." + String(repeating: "0", count: decimals - digits.count) + digits
    }
}
