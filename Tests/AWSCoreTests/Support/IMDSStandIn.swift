import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// An IMDSv2 stand-in: `PUT /latest/api/token` (needs the TTL header) hands out tokens; every GET needs a
/// valid `X-aws-ec2-metadata-token` (401 otherwise). Serves a role's credentials and the region, and counts requests.
final class IMDSStandIn: Sendable {
    struct State {
        var roleName = "lab-instance-role"
        var accessKeyId = "ASIAIMDSEXAMPLE00001"
        var secretAccessKey = "imdsSecretKeyValue+DoNotLeak/000000000001"
        var sessionToken = "imdsSessionTokenValueDoNotLeak0001"
        var expiration = Date().addingTimeInterval(3600)
        var region: String? = "ap-northeast-2"
        var validTokens: Set<String> = []
        var issuedTokens = 0
        var tokenRequests = 0
        var credentialRequests = 0
        var unauthorized = 0
        var paths: [String] = []
    }

    let state = Mutex(State())
    private let server: LoopbackServer
    var endpoint: String { server.baseURL }

    private init(server: LoopbackServer) { self.server = server }

    static func start() async throws -> IMDSStandIn {
        let box = StateBox()
        let server = try await LoopbackServer.start { router in
            router.put("/latest/api/token") { request, _ -> Response in
                box.handleToken(request)
            }
            for path in [
                "/latest/meta-data/iam/security-credentials",
                "/latest/meta-data/iam/security-credentials/:role", "/latest/meta-data/placement/region",
            ] {
                router.get(RouterPath(path)) { request, _ -> Response in
                    box.handleGet(request)
                }
            }
        }
        let standIn = IMDSStandIn(server: server)
        box.owner.withLock { $0 = standIn }
        return standIn
    }

    func stop() async { await server.stop() }

    func update(_ change: (inout State) -> Void) { state.withLock { change(&$0) } }
    var snapshot: State { state.withLock { $0 } }
    /// Forgets every token handed out (as if they expired).
    func expireTokens() { update { $0.validTokens.removeAll() } }

    fileprivate func handleToken(_ request: Request) -> Response {
        guard let ttl = Self.header(request, "x-aws-ec2-metadata-token-ttl-seconds"), Int(ttl) != nil else {
            return Response(status: .badRequest)
        }
        let token = state.withLock { state -> String in
            state.tokenRequests += 1
            state.issuedTokens += 1
            let token = "imds-token-\(state.issuedTokens)"
            state.validTokens.insert(token)
            return token
        }
        return Self.text(token)
    }

    fileprivate func handleGet(_ request: Request) -> Response {
        let path = request.uri.path
        return state.withLock { state -> Response in
            state.paths.append(path)
            guard let token = Self.header(request, "x-aws-ec2-metadata-token"), state.validTokens.contains(token) else {
                state.unauthorized += 1
                return Response(status: .unauthorized)
            }
            switch path {
            case "/latest/meta-data/iam/security-credentials/", "/latest/meta-data/iam/security-credentials":
                return Self.text(state.roleName)
            case "/latest/meta-data/iam/security-credentials/\(state.roleName)":
                state.credentialRequests += 1
                let formatter = ISO8601DateFormatter()
                let json = """
                {"Code":"Success","LastUpdated":"\(formatter.string(from: Date()))","Type":"AWS-HMAC",\
                "AccessKeyId":"\(state.accessKeyId)","SecretAccessKey":"\(state.secretAccessKey)",\
                "Token":"\(state.sessionToken)","Expiration":"\(formatter.string(from: state.expiration))"}
                """
                return Self.text(json)
            case "/latest/meta-data/placement/region":
                guard let region = state.region else { return Response(status: .notFound) }
                return Self.text(region)
            default:
                return Response(status: .notFound)
            }
        }
    }

    private static func header(_ request: Request, _ name: String) -> String? {
        request.headers.first { $0.name.canonicalName == name }?.value
    }

    private static func text(_ body: String) -> Response {
        Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Lets the routes, built before the stand-in exists, reach it.
private final class StateBox: Sendable {
    let owner = Mutex<IMDSStandIn?>(nil)

    func handleToken(_ request: Request) -> Response {
        guard let standIn = owner.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
        return standIn.handleToken(request)
    }

    func handleGet(_ request: Request) -> Response {
        guard let standIn = owner.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
        return standIn.handleGet(request)
    }
}
