import Foundation

/// What ECR checks of a repository or registry policy before storing it: a JSON object whose
/// `Statement` (one object or a non-empty list) holds statements that each have an `Effect` of
/// `Allow` or `Deny`, a `Principal` (or `NotPrincipal`) and an `Action` (or `NotAction`). What the
/// statements mean for access is `PolicyDocument`'s to say.
enum PolicyTextValidation {
    /// The actions of a valid policy's statements; nil when the policy is not valid.
    static func actions(of text: String) -> [String]? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any], let statement = object["Statement"] else {
            return nil
        }
        let statements: [Any] = (statement as? [Any]) ?? [statement]
        guard !statements.isEmpty else { return nil }
        var actions: [String] = []
        for case let entry in statements {
            guard let entry = entry as? [String: Any], ["Allow", "Deny"].contains(entry["Effect"] as? String ?? "") else { return nil }
            guard isPresent(entry["Principal"]) || isPresent(entry["NotPrincipal"]) else { return nil }
            guard let listed = strings(entry["Action"]) ?? strings(entry["NotAction"]), !listed.isEmpty else { return nil }
            actions += listed
        }
        return actions
    }

    private static func isPresent(_ value: Any?) -> Bool {
        if let text = value as? String { return !text.isEmpty }
        if let map = value as? [String: Any] { return !map.isEmpty }
        return false
    }

    /// A string or a list of strings; nil otherwise.
    private static func strings(_ value: Any?) -> [String]? {
        if let text = value as? String { return [text] }
        guard let list = value as? [Any] else { return nil }
        let texts = list.compactMap { $0 as? String }
        return texts.count == list.count ? texts : nil
    }
}
