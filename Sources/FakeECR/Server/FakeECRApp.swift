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
    /// The IAM query API over the directory (users, roles, keys, policies, simulation).
    let iamAPI: IAMHandler
    let admin: AdminHandler
    let authenticator: RequestAuthenticator
    let passwords: RegistryPasswordCodec
    /// Every access to a registry, by any plane, passes it.
    let gate: AccessGate
    /// The registry data plane (`/v2/`, the OCI distribution API), on the same store.
    let distribution: DistributionPlane
    /// Records every call in the CloudTrail history of its account and region.
    let trail: TrailRecorder
    /// CloudTrail's LookupEvents over that history.
    let lookup: LookupEventsHandler
    /// The time lifecycle policies are evaluated at, movable in tests.
    let clock: FakeClock
    /// Expires images as the repositories' lifecycle policies say.
    let lifecycle: LifecycleEvaluator
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
        let clock = FakeClock()
        self.clock = clock
        let blobs = try DistributionPlane.blobStore(configuration)
        let scanner = ImageScanner(blobs: blobs, table: configuration.vulnerabilities, duration: configuration.scanDuration)
        let store = try RegistryStore(storage: storage, pushScanner: { image in scanner.scan(image, now: clock.now) })
        self.store = store
        var keyData = try storage.secret(named: "registry-password-key")
        if keyData == nil {
            let fresh = RegistryPasswordCodec.randomKeyData()
            try storage.setSecret(fresh, named: "registry-password-key")
            keyData = fresh
        }
        passwords = RegistryPasswordCodec(keyData: keyData ?? RegistryPasswordCodec.randomKeyData())
        let kept = try storage.secret(named: AccountDirectory.storedName).map { try AccountDirectory.Snapshot.decode($0, from: storage.description) }
        let directory = AccountDirectory(accounts: configuration.accounts, defaultAccountId: configuration.defaultAccountId, restoring: kept)
        self.directory = directory
        let gate = AccessGate(
            store: store, directory: directory, enforcement: configuration.iam, secureTransport: configuration.tls != nil,
            logger: configuration.logger)
        self.gate = gate
        counters = RequestCounters()
        faults = FaultInjector(plan: configuration.faults)
        dispatcher = ECRDispatcher(store: store, passwords: passwords, clock: clock, scanner: scanner)
        sts = STSHandler(directory: directory, gate: gate)
        iamAPI = IAMHandler(directory: directory, gate: gate, storage: storage)
        if configuration.adminAPI != nil, configuration.authMode == .sigv4, configuration.adminAPI?.token == nil {
            throw FakeECRServerError("the admin API under --auth sigv4 needs a bearer token (--admin-token, AdminAPIAccess.token): it would dump and wipe every account")
        }
        authenticator = RequestAuthenticator(mode: configuration.authMode, directory: directory, defaultRegion: configuration.defaultRegion)
        let trail = TrailRecorder(store: store, directory: directory, configuration: configuration.trail, logger: logger)
        self.trail = trail
        lifecycle = LifecycleEvaluator(store: store, trail: trail, clock: clock)
        admin = AdminHandler(
            store: store, counters: counters, faults: faults, lifecycle: lifecycle, defaults: configuration.defaultRegistry, access: configuration.adminAPI)
        lookup = LookupEventsHandler(store: store, configuration: configuration.trail)
        distribution = DistributionPlane.make(
            configuration: configuration, store: store, blobs: blobs, passwords: passwords, gate: gate, trail: trail, logger: logger)
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
        if configuration.dataDirectory != nil, !(store.isEmpty) {
            logger.notice("fake-ecr: \(url.path) not loaded: the data directory already holds a state")
            return
        }
        try store.replaceAll(states)
    }

    /// Authenticates a call of any plane and counts it (`/_fake/requests`) as `name` under the caller's
    /// account, or under "unauthenticated" when the credentials are refused.
    func authenticate(
        _ request: Request, body: ByteBuffer, now: Date, counting name: String, service: String? = nil
    ) async -> Result<Caller, AuthenticationFailure> {
        do {
            let caller = try await authenticator.authenticate(request, body: body, now: now, service: service)
            counters.record(name, accountId: caller.principal.accountId)
            return .success(caller)
        } catch {
            counters.record(name, accountId: "unauthenticated")
            return .failure(error)
        }
    }

    // MARK: ECR

    func respondECR(_ request: Request, target: String, body: ByteBuffer, exchange: TrailRequest) async -> Response {
        let requestId = exchange.requestId
        let now = Date()
        let caller: Caller
        switch await authenticate(request, body: body, now: now, counting: "ecr:" + Self.operationName(target)) {
        case .failure(let error): return ECRErrorResponse.response(error.ecrError, requestId: requestId)
        case .success(let value): caller = value
        }
        guard let operation = ECROperation(target: target) else {
            return ECRErrorResponse.response(.unknownOperation(), requestId: requestId)
        }
        let context = ECRRequestContext(
            callerRegistry: caller.registry, caller: caller.principal.access, operation: operation.rawValue, gate: gate, requestId: requestId,
            scheme: ServerTLS.scheme(configuration.tls), authority: request.head.authority ?? "\(configuration.host):\(configuration.port)",
            now: now, sourceIp: exchange.sourceIPAddress)
        // The body read once: the input is decoded from it, and the request's members as sent are the
        // record's parameters; none (`{}`, or no body, read as `{}`) is logged as no parameters, as CloudTrail does.
        let parsed: JSONValue? = body.readableBytes == 0 ? .object([:]) : body.withUnsafeReadableBytes { JSONValue(json: $0.bindMemory(to: UInt8.self)) }
        let parameters = parsed == .object([:]) ? nil : parsed
        var call = TrailCall(
            CloudTrailEventSource.ecr, operation.rawValue, requestParameters: parameters,
            resources: TrailRecorder.ecrResources(parameters, caller: caller.registry))
        let response: Response
        do {
            // Operations on no repository or registry are the identity policies' alone; the others
            // pass the gate where their handlers name what they touch (ECRRequestContext).
            if ECRRequestContext.resourceless.contains(operation) {
                do {
                    try await gate.authorize(
                        caller.principal.access, action: "ecr:" + operation.rawValue, resource: .any, region: caller.region, from: exchange.sourceIPAddress)
                } catch {
                    throw error.ecrError
                }
            }
            let data = try await dispatcher.dispatch(operation, body: body, parsed: parsed, context: context)
            if !TrailIdentity.isReadOnly(operation.rawValue) { call.responseElements = DeferredJSON(text: data) }
            response = ECRJSON.response(data: data, requestId: requestId)
        } catch let error as ECRError {
            logger.debug("ecr:\(operation.rawValue) -> \(error.type)", metadata: ["request-id": "\(requestId)"])
            call = call.refused(error.type, error.message)
            response = ECRErrorResponse.response(error, requestId: requestId)
        } catch {
            logger.error("ecr:\(operation.rawValue) failed: \(error)", metadata: ["request-id": "\(requestId)"])
            let failure = ECRError.server("Internal error: \(error)")
            call = call.refused(failure.type, failure.message)
            response = ECRErrorResponse.response(failure, requestId: requestId)
        }
        let identity = TrailIdentity.of(caller.principal, accessKeyId: caller.accessKeyId, now: now)
        await trail.record(call, in: caller.registry, identity: identity, request: exchange, now: now)
        return response
    }

    /// `Operation` of `Service.Operation` (the target itself when it has no dot).
    static func operationName(_ target: String) -> String {
        guard let dot = target.utf8.lastIndex(of: UInt8(ascii: ".")) else { return target }
        return String(target[target.utf8.index(after: dot)...])
    }

    // MARK: STS

    func respondSTS(_ request: Request, body: ByteBuffer, exchange: TrailRequest) async -> Response {
        let requestId = exchange.requestId
        let now = Date()
        let parameters = STSHandler.parameters(query: request.uri.query, body: body)
        let action = parameters[STSWire.Parameter.action] ?? ""
        let caller: Caller
        switch await authenticate(request, body: body, now: now, counting: "sts:" + action) {
        case .failure(let error): return Self.stsErrorResponse(error.stsError, requestId: requestId)
        case .success(let value): caller = value
        }
        var call = TrailCall(CloudTrailEventSource.sts, action)
        // AssumeRole is logged in the account that owns the role, GetCallerIdentity in the caller's.
        var recordIn = caller.registry
        if action == STSWire.Action.assumeRole.rawValue {
            var logged: [String: JSONValue] = [:]
            if let role = parameters[STSWire.Parameter.roleArn] {
                logged["roleArn"] = .string(role)
                if let arn = RoleArn(role) { recordIn = RegistryKey(accountId: arn.accountId, region: caller.region) }
            }
            if let session = parameters[STSWire.Parameter.roleSessionName] { logged["roleSessionName"] = .string(session) }
            if let duration = parameters[STSWire.Parameter.durationSeconds].flatMap(Double.init) { logged["durationSeconds"] = .number(duration) }
            call.requestParameters = .object(logged)
        }
        let response: Response
        do {
            let answer = try await sts.handle(
                action: action, parameters: parameters, caller: caller, requestId: requestId, now: now, sourceIp: exchange.sourceIPAddress)
            if let issued = answer.issued {
                // The access key and expiration only: CloudTrail never logs the secret key or the session token.
                call.responseElements = DeferredJSON(.object([
                    "credentials": .object([
                        "accessKeyId": .string(issued.accessKeyId), "expiration": .string(CloudTrailRecord.timeText(issued.expiration)),
                    ]),
                    "assumedRoleUser": .object(["assumedRoleId": .string(issued.assumedRoleId), "arn": .string(issued.assumedRoleArn)]),
                ]))
            }
            response = Self.xmlResponse(answer.xml, status: .ok, requestId: requestId)
        } catch {
            call = call.refused(error.code, error.message)
            response = Self.stsErrorResponse(error, requestId: requestId)
        }
        let identity = TrailIdentity.of(caller.principal, accessKeyId: caller.accessKeyId, now: now)
        await trail.record(call, in: recordIn, identity: identity, request: exchange, now: now)
        return response
    }

    static func stsErrorResponse(_ error: STSError, requestId: String) -> Response {
        xmlResponse(STSXML.error(error, requestId: requestId), status: HTTPResponse.Status(code: error.status), requestId: requestId)
    }

    static func xmlResponse(_ data: Data, status: HTTPResponse.Status, requestId: String) -> Response {
        var headers = HTTPFields()
        headers.set(HeaderNames.contentType, STSXML.contentType)
        headers.set(HeaderNames.amznRequestId, requestId)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
