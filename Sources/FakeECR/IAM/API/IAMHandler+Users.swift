import ECRWire
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Users and access keys.
extension IAMHandler.Call {
    static func wire(_ user: IAMUser) -> User {
        User(path: user.path, userName: user.name, userId: user.userId, arn: user.arn, createDate: user.created, tags: IAMHandler.tags(user.permissions.tags))
    }

    func users() async throws(IAMAPIError) -> XMLElement? {
        switch operation {
        case .createUser:
            let request: CreateUserRequest = try input()
            try await authorize(userArn(request.userName))
            let user = try await directory.createUser(account, name: request.userName, path: request.path, tags: IAMHandler.tagMap(request.tags), now: now)
            return try result(CreateUserResponse(user: Self.wire(user)))
        case .getUser:
            let request: GetUserRequest = try input()
            guard let name = request.userName ?? callerUserName else {
                throw IAMAPIError(.validationError, "Must specify userName when calling with non-User credentials")
            }
            try await authorize(userArn(name))
            return try result(GetUserResponse(user: Self.wire(try await directory.user(account, name))))
        case .deleteUser:
            let request: DeleteUserRequest = try input()
            try await authorize(userArn(request.userName))
            try await directory.deleteUser(account, name: request.userName)
            return nil
        case .listUsers:
            try await authorize("*")
            let users = await directory.iamAccount(account).users.values.sorted { $0.name < $1.name }
            return try result(ListUsersResponse(users: users.map(Self.wire), isTruncated: false))
        case .createAccessKey:
            let request: CreateAccessKeyRequest = try input()
            guard let name = request.userName ?? callerUserName else { throw IAMAPIError(.validationError, "Must specify userName when calling with non-User credentials") }
            try await authorize(userArn(name))
            let (key, secret) = try await directory.createAccessKey(account, userName: name, now: now)
            return try result(CreateAccessKeyResponse(accessKey: AccessKey(
                userName: name, accessKeyId: key.accessKeyId, status: .active, secretAccessKey: secret, createDate: key.created)))
        case .deleteAccessKey:
            let request: DeleteAccessKeyRequest = try input()
            guard let name = request.userName ?? callerUserName else { throw IAMAPIError(.validationError, "Must specify userName when calling with non-User credentials") }
            try await authorize(userArn(name))
            try await directory.deleteAccessKey(account, userName: name, keyId: request.accessKeyId)
            return nil
        default:
            let request: ListAccessKeysRequest = try input()
            guard let name = request.userName ?? callerUserName else { throw IAMAPIError(.validationError, "Must specify userName when calling with non-User credentials") }
            try await authorize(userArn(name))
            _ = try await directory.user(account, name)
            let keys = await directory.iamAccount(account).accessKeys.values.filter { $0.userName == name }.sorted { $0.accessKeyId < $1.accessKeyId }
            return try result(ListAccessKeysResponse(
                accessKeyMetadata: keys.map { AccessKeyMetadata(userName: $0.userName, accessKeyId: $0.accessKeyId, status: $0.active ? .active : .inactive, createDate: $0.created) },
                isTruncated: false))
        }
    }
}
