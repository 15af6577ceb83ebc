import AWSCore
import ECRWire
import Foundation

/// How one grading used the history: whether it was needed, whether it failed (then it is not asked
/// again, and the result says so once), and whether recent work may be missing from it.
struct HistoryConsultation {
    let reader: HistoryReader?
    private(set) var used = false
    private(set) var failure: (any Error)?
    /// A cleanup the live state shows whose deletion is not in the history (yet).
    var deletionNotInHistory = false

    init(reader: HistoryReader?) {
        self.reader = reader
    }

    /// The reader, when the history may still be asked.
    var usable: HistoryReader? { failure == nil ? reader : nil }

    /// Runs a judgement over the history; a failure ends the use of the history for this grading.
    mutating func ask<T>(_ body: (HistoryReader) async throws -> T?) async -> T? {
        guard let reader = usable else { return nil }
        used = true
        do {
            return try await body(reader)
        } catch {
            failure = error
            return nil
        }
    }

    /// The warnings the result carries: at most one about access, and the delivery lag.
    func warnings(now: Date) async -> [ResultWarning] {
        var warnings: [ResultWarning] = []
        if let failure {
            warnings.append(Self.warning(for: failure))
        } else if used, let reader {
            let newest = await reader.newestEventTime
            if deletionNotInHistory || newest.map({ now.timeIntervalSince($0) < HistoryWindow.deliveryLag }) ?? false {
                let minutes = Int(HistoryWindow.deliveryLag / 60)
                warnings.append(ResultWarning(.historyLag, message: LocalizedText(
                    ko: "CloudTrail은 호출 후 약 \(minutes)분 뒤에 이벤트를 기록합니다: 최근 \(minutes)분 사이의 작업은 아직 보이지 않을 수 있습니다. 잠시 뒤 다시 확인하세요.",
                    en: "CloudTrail records events about \(minutes) minutes after the call: work of the last \(minutes) minutes may not show yet; check again later.")))
            }
        }
        return warnings
    }

    static func warning(for error: any Error) -> ResultWarning {
        let permission = "cloudtrail:\(CloudTrailOperation.lookupEvents.rawValue)"
        if let error = error as? AWSServiceError, error.isAccessDenied || error.isAuthenticationFailure {
            return ResultWarning(.historyDenied, message: LocalizedText(
                ko: "CloudTrail 기록을 읽지 못했습니다: 이 자격 증명은 \(permission) 권한이 없습니다 (\(error.code)). 현재 상태와 기록(ledger)만으로 채점했습니다; 이미 정리한 작업은 보이지 않습니다. IAM 정책에 \(permission)을 추가하세요.",
                en: "the CloudTrail history was not read: these credentials may not call \(permission) (\(error.code)). Graded from the live state and the ledger only, so work already cleaned up cannot be seen; add \(permission) to the IAM policy."))
        }
        return ResultWarning(.historyUnavailable, message: LocalizedText(
            ko: "CloudTrail 기록을 읽지 못했습니다 (\(error)). 현재 상태와 기록(ledger)만으로 채점했습니다.",
            en: "the CloudTrail history could not be read (\(error)). Graded from the live state and the ledger only."))
    }
}
