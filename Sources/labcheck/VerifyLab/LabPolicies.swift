import AWSCore
import Checks
import FakeECR
import Foundation

/// `verify-lab --policy lab`: the lab text's own IAM policies (the JSON files of `<lab>/policies/`, named after the
/// section of the lab text each comes from) given to the principal the scripts run as, in a fake that enforces IAM.
///
/// The lab text's push policy names its resource by example, `arn:aws:ecr:region:111122223333:repository/repository-name`,
/// as a student fills it in: `region` becomes the run's region, `111122223333` the run's account and `repository-name`
/// each repository the lab pushes to (the spec's image steps), one resource each. Nothing else is changed.
struct LabPolicies {
    /// The folder of the lab holding the policies.
    static let folder = "policies"
    /// The user the scripts run as, and its key (the administrator's key is the checker's, `LabVerifier`).
    static let userName = "lab-student"
    static let credentials = Credentials(accessKeyId: "AKIAVERIFYLABSTUDENT", secretAccessKey: "verify-lab-student-secret", source: "verify-lab --policy lab")

    /// File name (relative to the lab folder) → the policy document with the examples filled in.
    let documents: [(file: String, text: String)]

    static func principal(account: String) -> String { "arn:aws:iam::\(account):user/\(userName)" }

    /// Reads every `*.json` of `<lab>/policies/` (sorted); an unreadable or non-JSON file is bad input, named.
    static func load(labDirectory: URL, account: String, region: String, repositories: [String]) throws -> LabPolicies {
        let directory = labDirectory.appendingPathComponent(folder, isDirectory: true)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw CLIError.badInput("\(directory.path): cannot list the lab's policies (--policy lab reads the lab text's policy documents there): \(error.localizedDescription)")
        }
        guard !names.isEmpty else { throw CLIError.badInput("\(directory.path): no policy documents (*.json) for --policy lab") }
        var documents: [(file: String, text: String)] = []
        for name in names {
            let url = directory.appendingPathComponent(name)
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: try Data(contentsOf: url))
            } catch {
                throw CLIError.badInput("\(url.path): not a JSON policy document: \(error.localizedDescription)")
            }
            let filled = fill(object, account: account, region: region, repositories: repositories)
            let data = try JSONSerialization.data(withJSONObject: filled, options: [.sortedKeys, .withoutEscapingSlashes])
            documents.append((folder + "/" + name, String(decoding: data, as: UTF8.self)))
        }
        return LabPolicies(documents: documents)
    }

    /// The document with the lab text's example values of every `Resource` filled in.
    static func fill(_ value: Any, account: String, region: String, repositories: [String]) -> Any {
        if var object = value as? [String: Any] {
            for (key, member) in object {
                if key == "Resource" || key == "NotResource" {
                    let resources = (member as? [String]) ?? (member as? String).map { [$0] } ?? []
                    let filled = resources.flatMap { fillResource($0, account: account, region: region, repositories: repositories) }
                    object[key] = filled.count == 1 ? filled[0] as Any : filled as Any
                } else {
                    object[key] = fill(member, account: account, region: region, repositories: repositories)
                }
            }
            return object
        }
        if let array = value as? [Any] { return array.map { fill($0, account: account, region: region, repositories: repositories) } }
        return value
    }

    static func fillResource(_ resource: String, account: String, region: String, repositories: [String]) -> [String] {
        let arn = resource.replacingOccurrences(of: ":region:", with: ":\(region):").replacingOccurrences(of: ":111122223333:", with: ":\(account):")
        guard arn.hasSuffix("repository/repository-name") else { return [arn] }
        let base = String(arn.dropLast("repository-name".count))
        return repositories.map { base + $0 }
    }

    /// The accounts file of the run's fake: the administrator's key (no policies: the account's root, as the checker
    /// and the re-runs need) and the lab student holding exactly these documents as inline policies.
    func accountsFile(account: String, administrator: Credentials) throws -> AccountsFile {
        var inline: [String: Any] = [:]
        for (file, text) in documents {
            let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            inline[name] = try JSONSerialization.jsonObject(with: Data(text.utf8))
        }
        let document: [String: Any] = ["accounts": [[
            "accountId": account, "accessKeyId": administrator.accessKeyId, "secretAccessKey": administrator.secretAccessKey,
            "userName": "verify-lab-administrator",
            "users": [[
                "userName": Self.userName, "inlinePolicies": inline,
                "accessKeys": [["accessKeyId": Self.credentials.accessKeyId, "secretAccessKey": Self.credentials.secretAccessKey]],
            ]],
        ]]]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
        do {
            return try AccountsFile.parse(data, file: "verify-lab --policy lab")
        } catch {
            throw CLIError.badInput("the lab's policies (\(documents.map(\.file).joined(separator: ", "))) are not policies IAM accepts: \(error)")
        }
    }
}
