import Foundation
import Hummingbird
import NIOCore

/// The admin API under `/_fake/`: reset, state export/import, request counters, faults. Off
/// unless the configuration turns it on (`access`), and then only for whom `access` lets in.
struct AdminHandler: Sendable {
    let store: RegistryStore
    let counters: RequestCounters
    let faults: FaultInjector
    let lifecycle: LifecycleEvaluator
    let defaults: RegistryKey
    /// nil: the admin API is off.
    let access: AdminAPIAccess?

    func respond(_ request: Request, peer: SocketAddress?, body: ByteBuffer, requestId: String) async -> Response {
        guard let access else {
            return Self.json(
                ["error": "The admin API (/_fake/) is off: start fake-ecr with --admin (FakeECRConfiguration.adminAPI), or call RunningFakeECR's methods in-process"],
                status: .notFound, requestId: requestId)
        }
        if let refusal = access.refusal(peer: peer, authorization: request.headers[.authorization]) {
            return Self.json(["error": refusal.message], status: HTTPResponse.Status(code: refusal.status), requestId: requestId)
        }
        return await respond(method: request.method, path: request.uri.path, query: request.uri.query, body: body, requestId: requestId)
    }

    private func respond(method: HTTPRequest.Method, path: String, query: String?, body: ByteBuffer, requestId: String) async -> Response {
        do {
            switch (method, path) {
            case (.post, "/_fake/reset"):
                try store.replaceAll([])
                return Self.json(["status": "reset"], requestId: requestId)
            case (.get, "/_fake/state"):
                let document = StateDocument(states: store.allRegistries())
                return Self.data(try document.encoded(), requestId: requestId)
            case (.put, "/_fake/state"), (.post, "/_fake/state"):
                let states = try StateDocument.states(from: Data(body.readableBytesView), file: "request body", defaults: defaults)
                try store.replaceAll(states)
                return Self.json(["status": "loaded"], requestId: requestId)
            case (.get, "/_fake/trail"):
                return Self.data(try TrailListing.encoded(store.trails(accountId: Self.parameter("accountId", in: query), region: Self.parameter("region", in: query))), requestId: requestId)
            case (.get, "/_fake/requests"):
                if (query ?? "").contains("byAccount") {
                    let counts = counters.countsByAccount()
                    return Self.data(try Self.encoder.encode(counts), requestId: requestId)
                }
                return Self.data(try Self.encoder.encode(counters.totals()), requestId: requestId)
            case (.post, "/_fake/requests/reset"):
                counters.reset()
                return Self.json(["status": "reset"], requestId: requestId)
            case (.post, "/_fake/lifecycle/evaluate"):
                return Self.data(try Self.encoder.encode(["runs": try await lifecycle.evaluate()]), requestId: requestId)
            case (.get, "/_fake/clock"):
                return Self.data(try Self.encoder.encode(ClockStatus(lifecycle.clock)), requestId: requestId)
            case (.post, "/_fake/clock"):
                let asked = try InputFileError.decode(ClockChange.self, from: Data(body.readableBytesView), file: "request body")
                lifecycle.clock.advance(by: asked.advanceSeconds)
                return Self.data(try Self.encoder.encode(ClockStatus(lifecycle.clock)), requestId: requestId)
            case (.get, "/_fake/faults"):
                return Self.data(try Self.encoder.encode(FaultStatus(plan: faults.plan, injected: faults.injected)), requestId: requestId)
            case (.put, "/_fake/faults"), (.post, "/_fake/faults"):
                faults.set(try FaultPlan.parse(Data(body.readableBytesView), file: "request body"))
                return Self.json(["status": "faults set"], requestId: requestId)
            case (.delete, "/_fake/faults"):
                faults.set(nil)
                return Self.json(["status": "faults cleared"], requestId: requestId)
            default:
                return Self.json(
                    ["error": "no admin endpoint \(method.rawValue) \(path); try POST /_fake/reset, GET|PUT /_fake/state, GET /_fake/trail?accountId=&region=, GET /_fake/requests, POST /_fake/requests/reset, GET|PUT|DELETE /_fake/faults, GET|POST /_fake/clock, POST /_fake/lifecycle/evaluate"],
                    status: .notFound, requestId: requestId)
            }
        } catch let error as InputFileError {
            return Self.json(["error": error.description], status: .badRequest, requestId: requestId)
        } catch {
            return Self.json(["error": "\(error)"], status: .internalServerError, requestId: requestId)
        }
    }

    /// A parameter of the query string (`accountId=…`), percent-decoded; nil when absent or empty.
    static func parameter(_ name: String, in query: String?) -> String? {
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == name, !parts[1].isEmpty else { continue }
            return String(parts[1]).removingPercentEncoding
        }
        return nil
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }

    static func json(_ object: [String: String], status: HTTPResponse.Status = .ok, requestId: String) -> Response {
        data((try? encoder.encode(object)) ?? Data("{}".utf8), status: status, requestId: requestId)
    }

    static func data(_ data: Data, status: HTTPResponse.Status = .ok, requestId: String) -> Response {
        var headers = HTTPFields()
        headers.set(HeaderNames.contentType, "application/json")
        headers.set(HeaderNames.amznRequestId, requestId)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// `POST /_fake/clock`: `{"advanceSeconds": 86400}` moves the lifecycle clock a day ahead.
struct ClockChange: Decodable {
    var advanceSeconds: Double
}

/// `GET|POST /_fake/clock`: the lifecycle clock's time and how far it is ahead of the wall clock.
struct ClockStatus: Encodable {
    var now: String
    var offsetSeconds: Double

    init(_ clock: FakeClock) {
        now = StateDocument.formatDate(clock.now)
        offsetSeconds = clock.currentOffset
    }
}

/// `GET /_fake/faults`: the plan in force and the faults injected so far.
struct FaultStatus: Encodable {
    var plan: FaultPlan?
    var injected: [String: Int]
}
