import Foundation

extension SpecLoader {
    /// A list of `{actions: [service:Action…], resources: [ARN…]}` (resources default to `*`): a step's
    /// `permissions` and a `permissionsGranted` check's.
    static func permissionGrants(_ cursor: YAMLCursor) throws -> [PermissionGrant] {
        let items = try cursor.list()
        if items.isEmpty { throw cursor.error("expected at least one {actions, resources} entry") }
        return try items.map { item in
            let fields = try item.mapping(allowed: ["actions", "resources"])
            let actionsCursor = try fields.required("actions", in: item)
            let actions = try actionsCursor.stringList()
            if actions.isEmpty { throw actionsCursor.error("expected at least one action such as ecr:PutImage") }
            for action in actions where !isAction(action) {
                throw actionsCursor.error("'\(action)' is not an IAM action of the form service:Action (e.g. ecr:PutImage)")
            }
            let resources = try fields["resources"].map { try $0.list().map(template) } ?? [try Template("*")]
            if resources.isEmpty { throw item.error("resources: expected at least one ARN or *") }
            for (index, resource) in resources.enumerated() where resource.raw != "*" && !resource.raw.hasPrefix("arn:") {
                throw (fields["resources"] ?? item).error("resource #\(index + 1) '\(resource.raw)' is neither an ARN (arn:…) nor *")
            }
            return PermissionGrant(actions: actions, resources: resources)
        }
    }

    /// `service:Action`: a lower-case service prefix and an action name of letters and digits.
    static func isAction(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let service = parts.first, let name = parts.last, !service.isEmpty, !name.isEmpty else { return false }
        return service.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}
