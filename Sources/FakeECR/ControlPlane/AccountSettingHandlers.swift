import ECRWire
import Foundation

/// PutAccountSetting and GetAccountSetting: the registry's BASIC_SCAN_TYPE_VERSION,
/// REGISTRY_POLICY_SCOPE and BLOB_MOUNTING (`AccountSetting`), kept in `RegistrySettings`.
struct AccountSettingHandlers: Sendable {
    let store: RegistryStore

    func putAccountSetting(_ request: PutAccountSettingRequest, _ context: ECRRequestContext) async throws -> PutAccountSettingResponse {
        let key = try await context.registry(nil)
        let setting = try Self.setting(request.name)
        guard setting.allowedValues.contains(request.value) else {
            throw ECRError.invalidParameter(
                "value", "'Invalid value '\(request.value.prefix(100))' for account setting \(setting.rawValue): expected one of [\(setting.allowedValues.joined(separator: ", "))]'")
        }
        try store.update(key) { state in
            state.updateSettings { $0.accountSettings[setting.rawValue] = request.value }
        }
        return PutAccountSettingResponse(name: setting.rawValue, value: request.value)
    }

    func getAccountSetting(_ request: GetAccountSettingRequest, _ context: ECRRequestContext) async throws -> GetAccountSettingResponse {
        let key = try await context.registry(nil)
        let setting = try Self.setting(request.name)
        let value = try store.read(key) { $0.settings.value(of: setting) }
        return GetAccountSettingResponse(name: setting.rawValue, value: value)
    }

    /// The setting `name` names, checked against the model's length bounds first.
    static func setting(_ name: String) throws -> AccountSetting {
        guard ECRConstraints.name.allowsLength(name.count) else { throw ECRError.validation(name, "name", ECRConstraints.name.lengthBetween) }
        guard let setting = AccountSetting(rawValue: name) else {
            throw ECRError.invalidParameter(
                "name", "'Invalid account setting name '\(name)': expected one of [\(AccountSetting.allCases.map(\.rawValue).joined(separator: ", "))]'")
        }
        return setting
    }
}
