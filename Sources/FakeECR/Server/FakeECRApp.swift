import ECRWire
import Foundation
import Hummingbird
import Logging

/// Everything one fake ECR serves from: stores, accounts, handlers. Shared by all requests.
final class FakeECRApp: Sendable {
    let configuration: FakeECRConfiguration
    let store: RegistryStore
    let directory: AccountDirectory
    let counters: RequestCounters
    /// Faults injected on purpose (`--faults`, `/_fake/faults`); none unless asked.
    let faults: FaultInjector
    let dispatcher: ECRDispatcher
    let sts: STSHandler
    let admin: AdminHandler
    let authenticator: RequestAuthenticator
    let passwords: RegistryPasswordCodec
    /// Every access to a registry, by any plane, passes it.
    let gate: AccessGate
    /// The registry data plane (`/v2/`, the OCI distribution API), on the same store.
    let distribution: DistributionPlane
    let logger: Logger

    init(configuration: FakeECRConfiguration) throws {
        self.configuration = configuration
        logger = configuration.logger
        let storage: any RegistryStorage
        if let directory = configuration.dataDirectory {
            storage = try SQLiteStorage(directory: directory)
        } else {
            storage = MemoryStorage()
        }
        let store = try RegistryStore(storage: storage)
        self.store = store
        var keyData = try storage.secret(named: "registry-password-key")
        if keyData == nil {
            let fresh = RegistryPasswordCodec.randomKeyData()
            try storage.setSecret(fresh, named: "registry-password-key")
            keyData = fresh
        }
        passwords = RegistryPasswordCodec(keyData: keyData ?? RegistryPasswordCodec.randomKeyData())
        let directory = AccountDirectory(accounts: configuration.accounts, defaultAccountId: configuration.defaultAccountId)
        self.directory = directory
        let gate = AccessGate(store: store, directory: directory)
        self.gate = gate
        counters = RequestCounters()
        faults = FaultInjector(plan: configuration.faults)
        dispatcher = ECRDispatcher(store: store, passwords: passwords)
        sts = STSHandler(directory: directory, gate: gate)
        if configuration.adminAPI != nil, configuration.authMode == .sigv4, configuration.adminAPI?.token == nil {
            throw FakeECRServerError("the admin API under --auth sigv4 needs a bearer token (--admin-token, AdminAPIAccess.token): it would dump and wipe every account")
        }
        admin = AdminHandler(
            store: store, counters: counters, faults: faults, defaults: configuration.defaultRegistry, access: configuration.adminAPI)
        authenticator = RequestAuthenticator(mode: configuration.authMode, directory: directory, defaultRegion: configuration.defaultRegion)
        distribution = try DistributionPlane.make(configuration: configuration, store: store, passwords: passwords, gate: gate, logger: logger)
        logger.debug("fake-ecr storage: \(storage.description)")
    }

    /// Seeds from the configured state file (only into an empty store when data persists).
    func seed() async throws {
        guard let url = configuration.stateFile else { return }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InputFileError(file: url.path, path: "$", problem: "cannot read the file: \(error.localizedDescription)")
        }
        let states = try StateDocument.states(from: data, file: url.path, defaults: configuration.defaultRegistry)
        if configuration.dataDirectory != nil, !(await store.isEmpty) {
            logger.notice("fake-ecr: \(url.path) not loaded: the data directory already holds a state")
            return
        }
        try await store.replaceAll(states)
    }

    // MARK: ECR

    func respondECR(_ request: Request, target: String, body: ByteBuffer, requestId: String) async -> Response {
        let now = Date()
        let caller: Caller
        do {
            caller = try await authenticator.authenticate(request, body: body, now: now)
        } catch {
            await counters.record("ecr:" + Self.operationName(target), accountId: "unauthenticated")
            return ECRErrorResponse.response(error.ecrError, requestId: requestId)
        }
        guard let operation = ECROperation(target: target) else {
            await counters.record("ecr:" + Self.operationName(target), accountId: caller.principal.accountId)
            return ECRErrorResponse.response(.unknownOperation(), requestId: requestId)
        }
        await counters.record("ecr:" + operation.rawValue, accountId: caller.principal.accountId)
        let proxyEndpoint = ServerTLS.scheme(configuration.tls) + "://" + RequestHost(of: request, fallback: "\(configuration.host):\(configuration.port)").authority
        let context = ECRRequestContext(
            callerRegistry: caller.registry, caller: caller.principal.access, operation: operation.rawValue, gate: gate, requestId: requestId,
            proxyEndpoint: proxyEndpoint, now: now)
        do {
            return try await dispatcher.dispatch(operation, body: body, context: context)
        } catch let error as ECRError {
            logger.debug("ecr:\(operation.rawValue) -> \(error.type)", metadata: ["request-id": "\(requestId)"])
            return ECRErrorResponse.response(error, requestId: requestId)
        } catch {
            logger.error("ecr:\(operation.rawValue) failed: \(error)", metadata: ["request-id": "\(requestId)"])
            return ECRErrorResponse.response(.server("Internal error: \(error)"), requestId: requestId)
        }
    }

    static func operationName(_ target: String) -> String {
        target.split(separator: ".").last.map(String.init) ?? target
    }

    // MARK: STS

    func respondSTS(_ request: Request, body: ByteBuffer, requestId: String) async -> Response {
        let now = Date()
        let parameters = STSHandler.parameters(query: request.uri.query, body: body)
        let action = parameters[STSWire.Parameter.action] ?? ""
        do {
            let caller: Caller
            do {
                caller = try await authenticator.authenticate(request, body: body, now: now)
            } catch {
                await counters.record("sts:" + action, accountId: "unauthenticated")
                throw error.stsError
            }
            await counters.record("sts:" + action, accountId: caller.principal.accountId)
            let xml = try await sts.handle(action: action, parameters: parameters, caller: caller, requestId: requestId, now: now)
            return Self.xmlResponse(xml, status: .ok, requestId: requestId)
        } catch let error as STSError {
            return Self.xmlResponse(STSXML.error(error, requestId: requestId), status: HTTPResponse.Status(code: error.status), requestId: requestId)
        } catch {
            let failure = STSError(code: "InternalFailure", status: 500, message: "The request processing has failed because of an unknown error.", type: "Receiver")
            return Self.xmlResponse(STSXML.error(failure, requestId: requestId), status: .internalServerError, requestId: requestId)
        }
    }

    static func xmlResponse(_ data: Data, status: HTTPResponse.Status, requestId: String) -> Response {
        var headers = HTTPFields()
        headers.set(HeaderNames.contentType, STSXML.contentType)
        headers.set(HeaderNames.amznRequestId, requestId)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
