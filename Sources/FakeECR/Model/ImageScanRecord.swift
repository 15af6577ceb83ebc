import ECRWire
import Foundation

/// The last basic scan of an image: started by StartImageScan or on push, or seeded by the state
/// document. Its outcome is decided when it starts; until `completedAt` (on the fake's clock,
/// `FakeClock`) it reads as IN_PROGRESS, as ECR's asynchronous scans do.
public struct ImageScanRecord: Sendable, Codable, Equatable {
    public var startedAt: Date
    public var completedAt: Date
    /// What the scan ends in: COMPLETE or FAILED.
    public var status: ScanStatus
    public var statusDescription: String?
    public var findings: [ImageScanFinding]
    public var vulnerabilitySourceUpdatedAt: Date?

    public init(
        startedAt: Date, completedAt: Date, status: ScanStatus, statusDescription: String?, findings: [ImageScanFinding] = [],
        vulnerabilitySourceUpdatedAt: Date? = nil
    ) {
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.status = status
        self.statusDescription = statusDescription
        self.findings = findings
        self.vulnerabilitySourceUpdatedAt = vulnerabilitySourceUpdatedAt
    }

    /// ECR's descriptions of a scan's outcomes, as DescribeImageScanFindings shows them: "The scan
    /// was completed successfully." (published describe-image-scan-findings answers; moto's ECR
    /// tests copy it), and for an image with no operating system or package manager basic scanning
    /// knows (a scratch or distroless image) status FAILED with "UnsupportedImageError: The
    /// operating system and/or package manager are not supported." (as users of ECR quote it; see
    /// also the basic scanning troubleshooting page of the ECR user guide).
    public static let completeDescription = "The scan was completed successfully."
    public static let unsupportedDescription = "UnsupportedImageError: The operating system and/or package manager are not supported."

    /// A finished scan seeded by a state document.
    public static func seeded(_ findings: [ImageScanFinding], completedAt: Date, vulnerabilitySourceUpdatedAt: Date?) -> ImageScanRecord {
        ImageScanRecord(
            startedAt: completedAt, completedAt: completedAt, status: .complete, statusDescription: completeDescription, findings: findings,
            vulnerabilitySourceUpdatedAt: vulnerabilitySourceUpdatedAt)
    }

    public func isComplete(at now: Date) -> Bool { now >= completedAt }

    /// The status DescribeImageScanFindings and DescribeImages show at `now`.
    public func wireStatus(at now: Date) -> ImageScanStatus {
        isComplete(at: now) ? ImageScanStatus(status: status, description: statusDescription) : ImageScanStatus(status: .inProgress)
    }

    /// Findings per severity, as `findingSeverityCounts` has them.
    public var severityCounts: [FindingSeverity: Int] {
        findings.reduce(into: [:]) { counts, finding in counts[finding.severity ?? .undefined, default: 0] += 1 }
    }

    /// DescribeImages' summary of a finished scan with findings (none while it runs or when the
    /// image could not be scanned).
    public func summary(at now: Date) -> ImageScanFindingsSummary? {
        guard isComplete(at: now), status == .complete else { return nil }
        return ImageScanFindingsSummary(
            imageScanCompletedAt: completedAt, vulnerabilitySourceUpdatedAt: vulnerabilitySourceUpdatedAt, findingSeverityCounts: severityCounts)
    }
}

/// The registry scanning configuration's rules as they apply to repositories: which repository
/// scans on push, at what frequency, through which filters (BatchGetRepositoryScanningConfiguration).
extension RegistryScanningConfiguration {
    /// What a registry that never put one has: basic scanning, no rules (ECR's default, the
    /// model's PutRegistryScanningConfiguration documentation).
    public static let registryDefault = RegistryScanningConfiguration(scanType: .basic, rules: [])

    /// The frequency and the matching filters of the rule that applies to the repository `name`:
    /// continuous scanning takes precedence over scan on push when filters of both match (ECR user
    /// guide, "Filters for enhanced scanning"); nil when no rule's filter matches.
    public func rule(for name: String) -> (frequency: ScanFrequency, filters: [ScanningRepositoryFilter])? {
        var best: (frequency: ScanFrequency, filters: [ScanningRepositoryFilter])?
        for rule in rules ?? [] {
            let matching = rule.repositoryFilters.filter { $0.filterType == .wildcard && Wildcard.matches(pattern: $0.filter, name) }
            guard !matching.isEmpty else { continue }
            if best == nil || (rule.scanFrequency == .continuousScan && best?.frequency != .continuousScan) { best = (rule.scanFrequency, matching) }
        }
        return best
    }

    /// The scanning configuration of a repository: the registry's rule for it, else the
    /// repository's own (deprecated) `scanOnPush`, else manual scans only.
    public func repositoryConfiguration(_ record: RepositoryRecord, in key: RegistryKey) -> RepositoryScanningConfiguration {
        let matched = rule(for: record.name)
        let frequency = matched?.frequency ?? (record.scanOnPush ? .scanOnPush : .manual)
        return RepositoryScanningConfiguration(
            repositoryArn: key.repositoryArn(record.name), repositoryName: record.name,
            scanOnPush: record.scanOnPush || frequency == .scanOnPush, scanFrequency: frequency,
            appliedScanFilters: matched?.filters ?? [])
    }

    /// Whether an image pushed to the repository is scanned at once.
    public func scansOnPush(_ record: RepositoryRecord) -> Bool {
        guard let frequency = rule(for: record.name)?.frequency else { return record.scanOnPush }
        return record.scanOnPush || frequency == .scanOnPush || frequency == .continuousScan
    }
}
