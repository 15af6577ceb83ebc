import ECRWire
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Inline policies of users and roles, customer managed policies and their attachments.
extension IAMHandler.Call {
    func inlinePolicies() async throws(IAMAPIError) -> XMLElement? {
        switch operation {
        case .putUserPolicy:
            let request: PutUserPolicyRequest = try input()
            try await authorize(userArn(request.userName))
            try await directory.putInlinePolicy(account, .user(request.userName), name: request.policyName, document: request.policyDocument)
            return nil
        case .getUserPolicy:
            let request: GetUserPolicyRequest = try input()
            try await authorize(userArn(request.userName))
            let text = try await directory.inlinePolicy(account, .user(request.userName), name: request.policyName)
            return try result(GetUserPolicyResponse(userName: request.userName, policyName: request.policyName, policyDocument: IAMHandler.encodedDocument(text)))
        case .deleteUserPolicy:
            let request: DeleteUserPolicyRequest = try input()
            try await authorize(userArn(request.userName))
            try await directory.deleteInlinePolicy(account, .user(request.userName), name: request.policyName)
            return nil
        case .listUserPolicies:
            let request: ListUserPoliciesRequest = try input()
            try await authorize(userArn(request.userName))
            let names = try await directory.permissions(account, .user(request.userName)).inline.keys.sorted()
            return try result(ListUserPoliciesResponse(policyNames: names, isTruncated: false))
        case .putRolePolicy:
            let request: PutRolePolicyRequest = try input()
            try await authorize(roleArn(request.roleName))
            try await directory.putInlinePolicy(account, .role(request.roleName), name: request.policyName, document: request.policyDocument)
            return nil
        case .getRolePolicy:
            let request: GetRolePolicyRequest = try input()
            try await authorize(roleArn(request.roleName))
            let text = try await directory.inlinePolicy(account, .role(request.roleName), name: request.policyName)
            return try result(GetRolePolicyResponse(roleName: request.roleName, policyName: request.policyName, policyDocument: IAMHandler.encodedDocument(text)))
        case .deleteRolePolicy:
            let request: DeleteRolePolicyRequest = try input()
            try await authorize(roleArn(request.roleName))
            try await directory.deleteInlinePolicy(account, .role(request.roleName), name: request.policyName)
            return nil
        default:
            let request: ListRolePoliciesRequest = try input()
            try await authorize(roleArn(request.roleName))
            let names = try await directory.permissions(account, .role(request.roleName)).inline.keys.sorted()
            return try result(ListRolePoliciesResponse(policyNames: names, isTruncated: false))
        }
    }

    func wire(_ policy: IAMManagedPolicy) async -> Policy {
        Policy(
            policyName: policy.name, policyId: policy.policyId, arn: policy.arn, path: policy.path, defaultVersionId: "v1",
            attachmentCount: await directory.attachments(of: policy.arn, in: account), permissionsBoundaryUsageCount: 0, isAttachable: true,
            description: policy.description, createDate: policy.created, updateDate: policy.updated)
    }

    func attachedList(_ holder: AccountDirectory.Holder) async throws(IAMAPIError) -> [AttachedPolicy] {
        try await directory.permissions(account, holder).attached.map { arn in
            AttachedPolicy(policyName: arn.split(separator: "/").last.map(String.init), policyArn: arn)
        }
    }

    func managedPolicies() async throws(IAMAPIError) -> XMLElement? {
        switch operation {
        case .createPolicy:
            let request: CreatePolicyRequest = try input()
            try await authorize("arn:aws:iam::\(account):policy\(request.path ?? "/")\(request.policyName)")
            let policy = try await directory.createPolicy(
                account, name: request.policyName, path: request.path, document: request.policyDocument, description: request.description, now: now)
            return try result(CreatePolicyResponse(policy: await wire(policy)))
        case .getPolicy:
            let request: GetPolicyRequest = try input()
            try await authorize(request.policyArn)
            return try result(GetPolicyResponse(policy: await wire(try await directory.managedPolicy(request.policyArn, in: account))))
        case .getPolicyVersion:
            let request: GetPolicyVersionRequest = try input()
            try await authorize(request.policyArn)
            let policy = try await directory.managedPolicy(request.policyArn, in: account)
            guard request.versionId == "v1" else {
                throw IAMAPIError(.noSuchEntity, "Policy \(request.policyArn) version \(request.versionId) does not exist or is not attachable.")
            }
            return try result(GetPolicyVersionResponse(policyVersion: PolicyVersion(
                document: IAMHandler.encodedDocument(policy.document), versionId: "v1", isDefaultVersion: true, createDate: policy.created)))
        case .deletePolicy:
            let request: DeletePolicyRequest = try input()
            try await authorize(request.policyArn)
            try await directory.deletePolicy(account, arn: request.policyArn)
            return nil
        case .listPolicies:
            let request: ListPoliciesRequest = try input()
            try await authorize("*")
            var policies: [IAMManagedPolicy] = []
            if request.scope != .aws {
                policies += await directory.iamAccount(account).policies.values.sorted { $0.name < $1.name }
            }
            if request.scope != .local {
                for arn in AWSManagedPolicies.arns { policies.append(try await directory.managedPolicy(arn, in: account)) }
            }
            var wired: [Policy] = []
            for policy in policies {
                let item = await wire(policy)
                if request.onlyAttached == true, (item.attachmentCount ?? 0) == 0 { continue }
                wired.append(item)
            }
            return try result(ListPoliciesResponse(policies: wired, isTruncated: false))
        case .attachUserPolicy:
            let request: AttachUserPolicyRequest = try input()
            try await authorize(userArn(request.userName))
            try await directory.attach(account, .user(request.userName), policyArn: request.policyArn)
            return nil
        case .detachUserPolicy:
            let request: DetachUserPolicyRequest = try input()
            try await authorize(userArn(request.userName))
            try await directory.detach(account, .user(request.userName), policyArn: request.policyArn)
            return nil
        case .listAttachedUserPolicies:
            let request: ListAttachedUserPoliciesRequest = try input()
            try await authorize(userArn(request.userName))
            return try result(ListAttachedUserPoliciesResponse(attachedPolicies: try await attachedList(.user(request.userName)), isTruncated: false))
        case .attachRolePolicy:
            let request: AttachRolePolicyRequest = try input()
            try await authorize(roleArn(request.roleName))
            try await directory.attach(account, .role(request.roleName), policyArn: request.policyArn)
            return nil
        case .detachRolePolicy:
            let request: DetachRolePolicyRequest = try input()
            try await authorize(roleArn(request.roleName))
            try await directory.detach(account, .role(request.roleName), policyArn: request.policyArn)
            return nil
        default:
            let request: ListAttachedRolePoliciesRequest = try input()
            try await authorize(roleArn(request.roleName))
            return try result(ListAttachedRolePoliciesResponse(attachedPolicies: try await attachedList(.role(request.roleName)), isTruncated: false))
        }
    }
}
