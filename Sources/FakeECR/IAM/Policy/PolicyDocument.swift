import Foundation

/// An IAM policy document: an identity policy (inline or managed), a resource-based policy (an ECR
/// repository policy), or a role's trust policy. The one place policy text is understood, by
/// every plane, by the IAM API and by its policy simulation.
///
/// Parsing is strict (`init(text:kind:)`): what IAM would refuse as `MalformedPolicyDocument` is an
/// error naming the element. Evaluation of one document against one request is
/// `matches(_:kind:)`; how documents combine is `PolicyEvaluation`.
struct PolicyDocument: Sendable, Equatable {
    /// Whom a document is attached to decides which elements it must and must not have.
    enum Kind: Sendable, Equatable {
        /// Attached to a user or role: no `Principal`, `Resource` required.
        case identity
        /// Attached to a resource (a repository policy, a role's trust): `Principal` required.
        case resource
    }

    var version: String?
    var id: String?
    var statements: [PolicyStatement]

    init(version: String? = "2012-10-17", statements: [PolicyStatement]) {
        self.version = version
        self.statements = statements
    }

    /// The versions IAM accepts; policy variables need 2012-10-17.
    static let versions = ["2012-10-17", "2008-10-17"]
    var expandsVariables: Bool { version == "2012-10-17" }
}

/// One statement of a policy document.
struct PolicyStatement: Sendable, Equatable {
    enum Effect: String, Sendable, Equatable { case allow = "Allow", deny = "Deny" }

    /// A `Principal` or `NotPrincipal` value: `"*"`, or `{"AWS": …, "Service": …}`.
    struct Principals: Sendable, Equatable {
        /// `"*"` or `{"AWS": "*"}`: everyone.
        var everyone: Bool
        /// AWS principals: account ids, `arn:aws:iam::<account>:root`, user, role and session ARNs.
        var aws: [String]
        /// Service, Federated and CanonicalUser principals: never a caller of this fake.
        var others: [String]
    }

    /// A list of patterns (`Action`, `Resource`) or of exclusions (`NotAction`, `NotResource`).
    enum Names: Sendable, Equatable {
        case only([String])
        case not([String])
    }

    var sid: String?
    var effect: Effect
    /// `Principal`; nil in identity policies.
    var principal: Principals?
    var notPrincipal: Principals?
    var actions: Names
    /// nil: no `Resource` (a resource policy's statement is about its own resource).
    var resources: Names?
    var conditions: [PolicyCondition] = []

    init(
        sid: String? = nil, effect: Effect, principal: Principals? = nil, notPrincipal: Principals? = nil, actions: Names, resources: Names? = nil,
        conditions: [PolicyCondition] = []
    ) {
        self.sid = sid
        self.effect = effect
        self.principal = principal
        self.notPrincipal = notPrincipal
        self.actions = actions
        self.resources = resources
        self.conditions = conditions
    }
}

/// What IAM says of a policy it refuses (`MalformedPolicyDocument`), and where in the document.
struct PolicyDocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// IAM's words: `Policy document should not specify a principal.`
    var message: String
    /// `Statement[1].Action`; `$` for the document as a whole.
    var element: String

    var description: String { element == "$" ? message : "\(message) (at \(element))" }
}
