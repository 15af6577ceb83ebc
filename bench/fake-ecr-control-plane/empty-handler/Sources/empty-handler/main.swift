import Hummingbird
import Logging

/// `empty-handler PORT`: answers every POST to `/` with `{}` as JSON 1.1 (the body is read, as any
/// JSON API must), and nothing else: the framework's cost per request, and so the fake's ceiling.
let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 8080
let router = Router()
router.post("/") { request, _ -> Response in
    _ = try await request.body.collect(upTo: 16 * 1024 * 1024)
    var headers = HTTPFields()
    headers[.contentType] = "application/x-amz-json-1.1"
    return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
}
router.get("/") { _, _ in "{}" }
let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
    logger: {
        var logger = Logger(label: "empty-handler")
        logger.logLevel = .warning
        return logger
    }()
)
try await app.runService()
