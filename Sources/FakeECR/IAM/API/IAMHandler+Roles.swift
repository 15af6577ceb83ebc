import ECRWire
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Roles and their trust.
extension IAMHandler.Call {
    static func wire(_ role: IAMRole) -> Role {
        Role(
            path: role.path, roleName: role.name, roleId: role.roleId, arn: role.arn, createDate: role.created,
            assumeRolePolicyDocument: IAMHandler.encodedDocument(role.trustPolicy), description: role.description,
            maxSessionDuration: role.maxSessionDuration, tags: IAMHandler.tags(role.permissions.tags))
    }

    func roles() async throws(IAMAPIError) -> XMLElement? {
        switch operation {
        case .createRole:
            let request: CreateRoleRequest = try input()
            try await authorize(roleArn(request.roleName))
            let role = try await directory.createRole(
                account, name: request.roleName, path: request.path, trustPolicy: request.assumeRolePolicyDocument, description: request.description,
                maxSessionDuration: request.maxSessionDuration, tags: IAMHandler.tagMap(request.tags), now: now)
            return try result(CreateRoleResponse(role: Self.wire(role)))
        case .getRole:
            let request: GetRoleRequest = try input()
            try await authorize(roleArn(request.roleName))
            return try result(GetRoleResponse(role: Self.wire(try await directory.role(account, request.roleName))))
        case .deleteRole:
            let request: DeleteRoleRequest = try input()
            try await authorize(roleArn(request.roleName))
            try await directory.deleteRole(account, name: request.roleName)
            return nil
        case .updateAssumeRolePolicy:
            let request: UpdateAssumeRolePolicyRequest = try input()
            try await authorize(roleArn(request.roleName))
            try await directory.updateTrust(account, roleName: request.roleName, trustPolicy: request.policyDocument)
            return nil
        default:
            try await authorize("*")
            let roles = await directory.iamAccount(account).roles.values.sorted { $0.name < $1.name }
            return try result(ListRolesResponse(roles: roles.map(Self.wire), isTruncated: false))
        }
    }
}
