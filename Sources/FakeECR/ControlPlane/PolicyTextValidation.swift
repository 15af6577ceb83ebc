/// What ECR checks of a registry policy before storing it: a resource-based policy document that
/// IAM's parser accepts (`PolicyDocument`, kind `.resource`: every statement has an `Effect`, a
/// `Principal` or `NotPrincipal` and an `Action` or `NotAction`). What the statements mean for access
/// is `PolicyEvaluation`'s to say.
enum PolicyTextValidation {
    /// The actions (or excluded actions) named by a valid policy's statements; nil when the policy is not valid.
    static func actions(of text: String) -> [String]? {
        guard let document = try? PolicyDocument(text: text, kind: .resource) else { return nil }
        return document.statements.flatMap { statement -> [String] in
            switch statement.actions {
            case .only(let names), .not(let names): names
            }
        }
    }
}
