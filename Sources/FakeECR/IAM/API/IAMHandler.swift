import AWSCore
import ECRWire
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The IAM query API (version 2010-05-08, `Action=CreateUser&…`, XML answers) over the directory's
/// users, roles, keys and policies, with the request and answer shapes of `ECRWire`'s IAM model
/// (read and written by `IAMClient.coding`). Every call passes the access gate as `iam:<Action>` on
/// the entity it names. What a call changes is written to `storage` before it is answered (kept across restarts
/// with `--data-dir`).
struct IAMHandler: Sendable {
    let directory: AccountDirectory
    let gate: AccessGate
    let storage: any RegistryStorage

    /// Whether `action` is one of IAM's (STS's query actions are not).
    static func handles(_ action: String) -> Bool { IAMOperation(rawValue: action) != nil }

    /// The answer to one call: the XML document, its HTTP status, and the error it reports (if any).
    func respond(
        action: String, parameters: [String: String], caller: Caller, requestId: String, now: Date, sourceIp: String?
    ) async -> (document: Data, status: Int, error: IAMAPIError?) {
        do throws(IAMAPIError) {
            guard let operation = IAMOperation(rawValue: action) else {
                throw IAMAPIError(.invalidAction, "Could not find operation \(action) for version \(IAMService.apiVersion)")
            }
            let call = Call(handler: self, operation: operation, parameters: parameters, caller: caller, now: now, sourceIp: sourceIp)
            let result = try await call.run()
            if operation.changesState {
                do {
                    try await directory.persist(to: storage)
                } catch {
                    throw IAMAPIError(.serviceFailure, "the change could not be stored (\(storage.description)): \(error)")
                }
            }
            return (QueryCoding.responseDocument(action: action, namespace: IAMService.xmlNamespace, result: result, requestId: requestId), 200, nil)
        } catch {
            let document = QueryCoding.errorDocument(
                namespace: IAMService.xmlNamespace, type: error.type, code: error.code.rawValue, message: error.message, requestId: requestId)
            return (document, error.status, error)
        }
    }

    /// One call being answered.
    struct Call: Sendable {
        let handler: IAMHandler
        let operation: IAMOperation
        let parameters: [String: String]
        let caller: Caller
        let now: Date
        let sourceIp: String?

        var directory: AccountDirectory { handler.directory }
        var account: String { caller.principal.accountId }

        /// The request's parameters as the operation's input shape.
        func input<Input: Decodable>(_ type: Input.Type = Input.self) throws(IAMAPIError) -> Input {
            guard let shape = operation.inputShape else { throw IAMAPIError(.validationError, "\(operation.rawValue) takes no input") }
            do {
                return try IAMClient.coding.decodeRequest(Input.self, shape: shape, parameters: parameters)
            } catch {
                throw IAMAPIError(.validationError, "\(error)")
            }
        }

        /// `output` as the operation's result element.
        func result<Output: Encodable>(_ output: Output) throws(IAMAPIError) -> XMLElement? {
            guard let shape = operation.outputShape else { return nil }
            do {
                return try IAMClient.coding.element(output, shape: shape, named: operation.resultElement)
            } catch {
                throw IAMAPIError(.serviceFailure, "the answer to \(operation.rawValue) does not fit \(shape): \(error)")
            }
        }

        /// The gate's decision on `iam:<Action>` on `resource` (an entity ARN, or `*`).
        func authorize(_ resource: String) async throws(IAMAPIError) {
            do {
                try await handler.gate.authorize(
                    caller.principal.access, action: "iam:" + operation.rawValue, resource: resource == "*" ? .any : .named(resource),
                    region: caller.region, from: sourceIp)
            } catch {
                throw .accessDenied(error)
            }
        }

        func userArn(_ name: String) -> String { "arn:aws:iam::\(account):user/\(name)" }
        func roleArn(_ name: String) -> String { "arn:aws:iam::\(account):role/\(name)" }

        /// The caller's own user name (GetUser and ListAccessKeys without UserName).
        var callerUserName: String? { caller.principal.access.userName }

        func run() async throws(IAMAPIError) -> XMLElement? {
            switch operation {
            case .createUser, .getUser, .deleteUser, .listUsers, .createAccessKey, .deleteAccessKey, .listAccessKeys:
                return try await users()
            case .createRole, .getRole, .deleteRole, .listRoles, .updateAssumeRolePolicy:
                return try await roles()
            case .putUserPolicy, .getUserPolicy, .deleteUserPolicy, .listUserPolicies, .putRolePolicy, .getRolePolicy, .deleteRolePolicy,
                .listRolePolicies:
                return try await inlinePolicies()
            case .createPolicy, .getPolicy, .getPolicyVersion, .deletePolicy, .listPolicies, .attachUserPolicy, .detachUserPolicy,
                .listAttachedUserPolicies, .attachRolePolicy, .detachRolePolicy, .listAttachedRolePolicies:
                return try await managedPolicies()
            case .simulatePrincipalPolicy, .simulateCustomPolicy:
                return try await simulation()
            }
        }
    }

    /// A policy document as IAM answers it: URL-encoded JSON (the AWS CLI decodes it).
    static func encodedDocument(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")) ?? text
    }

    static func tags(_ tags: [String: String]) -> [IAMTag]? {
        tags.isEmpty ? nil : tags.sorted { $0.key < $1.key }.map { IAMTag(key: $0.key, value: $0.value) }
    }

    static func tagMap(_ tags: [IAMTag]?) -> [String: String] {
        var result: [String: String] = [:]
        for tag in tags ?? [] { result[tag.key] = tag.value }
        return result
    }
}

extension IAMOperation {
    /// Whether the operation changes users, roles, keys or policies (everything but Get…, List… and Simulate…).
    var changesState: Bool { !["Get", "List", "Simulate"].contains { rawValue.hasPrefix($0) } }
}
