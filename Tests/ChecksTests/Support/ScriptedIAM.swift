import AWSCore
import ECRWire
import FakeECR
import Foundation
import Hummingbird
import LabCheckTestSupport
import Logging
import NIOCore
import Synchronization

/// A loopback stand-in for STS and IAM's policy simulator: GetCallerIdentity answers `callerArn`, and
/// SimulatePrincipalPolicy allows exactly `allowedActions` (on any resource), or refuses the call with
/// AccessDenied when `simulationDenied`. It records each simulation's form parameters.
final class ScriptedIAM: Sendable {
    struct Script: Sendable {
        var callerArn: String
        var allowedActions: Set<String>
        var simulationDenied = false
    }

    private let service: ListeningService
    private let recorder: Recorder
    var endpoint: URL { URL(string: "http://127.0.0.1:\(service.port)") ?? URL(fileURLWithPath: "/") }
    /// The form parameters of every SimulatePrincipalPolicy received.
    var simulations: [[String: String]] { recorder.forms.withLock { $0 } }

    private init(service: ListeningService, recorder: Recorder) {
        self.service = service
        self.recorder = recorder
    }

    static func start(_ script: Script) async throws -> ScriptedIAM {
        let recorder = Recorder()
        let router = Router()
        router.post("/") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let form = formParameters(String(buffer: body))
            switch form["Action"] {
            case "GetCallerIdentity":
                return Self.identity(script.callerArn)
            case "SimulatePrincipalPolicy":
                recorder.forms.withLock { $0.append(form) }
                return try Self.simulate(form, script)
            default:
                return Self.error(status: .badRequest, code: "InvalidAction", message: "not scripted: \(form["Action"] ?? "")")
            }
        }
        let service = try await ListeningService.start("scripted IAM", logger: Logger(label: "scripted-iam")) { onPort in
            Application(
                router: router,
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in onPort(channel.localAddress?.port ?? 0) })
        }
        return ScriptedIAM(service: service, recorder: recorder)
    }

    func stop() async { await service.stop() }

    private static func identity(_ arn: String) -> Response {
        let account = arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first.map(String.init) ?? ""
        let xml = """
        <GetCallerIdentityResponse xmlns="\(STSWire.namespace)"><GetCallerIdentityResult>\
        <Arn>\(arn)</Arn><UserId>AROAEXAMPLE:student</UserId><Account>\(account)</Account>\
        </GetCallerIdentityResult><ResponseMetadata><RequestId>id-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>
        """
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: xml)))
    }

    private static func simulate(_ form: [String: String], _ script: Script) throws -> Response {
        if script.simulationDenied {
            return error(status: .forbidden, code: "AccessDenied", message:
                "User: \(script.callerArn) is not authorized to perform: iam:SimulatePrincipalPolicy on resource: \(form["PolicySourceArn"] ?? "")")
        }
        let request = try IAMClient.coding.decodeRequest(SimulatePrincipalPolicyRequest.self, shape: "SimulatePrincipalPolicyRequest", parameters: form)
        let results = request.actionNames.flatMap { action in
            (request.resourceArns ?? ["*"]).map { resource in
                EvaluationResult(evalActionName: action, evalResourceName: resource,
                                 evalDecision: script.allowedActions.contains(action) ? .allowed : .implicitDeny)
            }
        }
        let operation = IAMOperation.simulatePrincipalPolicy
        let result = try IAMClient.coding.element(
            SimulatePolicyResponse(evaluationResults: results, isTruncated: false), shape: "SimulatePolicyResponse", named: operation.resultElement)
        let xml = QueryCoding.responseDocument(action: operation.rawValue, namespace: IAMService.xmlNamespace, result: result, requestId: "sim-1")
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: xml)))
    }

    private static func error(status: HTTPResponse.Status, code: String, message: String) -> Response {
        let xml = QueryCoding.errorDocument(namespace: IAMService.xmlNamespace, type: "Sender", code: code, message: message, requestId: "err-1")
        return Response(status: status, body: .init(byteBuffer: ByteBuffer(bytes: xml)))
    }
}

private final class Recorder: Sendable {
    let forms = Mutex<[[String: String]]>([])
}
