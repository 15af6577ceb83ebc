import AWSCore
import Foundation

/// IAM over the query protocol, with the shapes generated from botocore (`IAMShapes.swift` and beside it): any operation of
/// the subset by `call`, and the policy simulator with its pages followed.
public struct IAMClient: Sendable {
    /// Most pages `simulatePrincipalPolicy` follows (a simulation of a few actions is one page).
    public static let maxPages = 100
    /// The form and XML mapping of IAM's shapes (shared with the fake, which reads requests and writes answers).
    public static let coding = QueryCoding(schema: IAMQueryShapes.schema)

    public let query: QueryProtocol

    /// - Parameter region: the signing region (us-east-1 for the global endpoint, the client's region for one set by the user).
    public init(client: AWSClient, endpoint: URL, region: String) {
        let service = AWSServiceConfig(
            serviceId: IAMService.serviceId, signingName: IAMService.signingName, endpoint: endpoint, region: region,
            apiVersion: IAMService.apiVersion)
        self.query = QueryProtocol(client: client, service: service)
    }

    public init(client: AWSClient, endpoint: ResolvedEndpoint) {
        self.init(client: client, endpoint: endpoint.url, region: endpoint.signingRegion)
    }

    /// Calls `operation` with `input` and reads its result.
    public func call<Output: Decodable>(_ operation: IAMOperation, _ input: some Encodable, as type: Output.Type = Output.self) async throws -> Output {
        let answer = try await send(operation, input)
        guard let shape = operation.outputShape else {
            throw AWSServiceError.invalidResponse("\(operation.rawValue) has no result to read", operation: Self.qualified(operation))
        }
        do {
            return try Self.coding.decode(Output.self, shape: shape, from: answer, resultElement: operation.resultElement)
        } catch let error as QueryCodingError {
            throw AWSServiceError.invalidResponse("the answer to \(operation.rawValue) does not fit \(shape): \(error)", operation: Self.qualified(operation))
        }
    }

    /// Calls `operation` with `input` (for operations whose answer has no result, such as `DeleteUser`).
    @discardableResult
    public func send(_ operation: IAMOperation, _ input: some Encodable) async throws -> XMLAnswer {
        let parameters: [(String, String)]
        if let shape = operation.inputShape {
            parameters = try Self.coding.parameters(input, shape: shape)
        } else {
            parameters = []
        }
        return try await query.call(operation.rawValue, parameters: parameters)
    }

    /// SimulatePrincipalPolicy, every page: the evaluation results of all pages in one answer.
    public func simulatePrincipalPolicy(_ input: SimulatePrincipalPolicyRequest) async throws -> SimulatePolicyResponse {
        try await allPages(of: .simulatePrincipalPolicy) { marker in
            var page = input
            page.marker = marker
            return try await call(.simulatePrincipalPolicy, page)
        }
    }

    /// SimulateCustomPolicy, every page.
    public func simulateCustomPolicy(_ input: SimulateCustomPolicyRequest) async throws -> SimulatePolicyResponse {
        try await allPages(of: .simulateCustomPolicy) { marker in
            var page = input
            page.marker = marker
            return try await call(.simulateCustomPolicy, page)
        }
    }

    private func allPages(of operation: IAMOperation, _ page: (String?) async throws -> SimulatePolicyResponse) async throws -> SimulatePolicyResponse {
        var combined = try await page(nil)
        var pages = 1
        while combined.isTruncated == true, let marker = combined.marker {
            guard pages < Self.maxPages else {
                throw AWSServiceError.invalidResponse("\(operation.rawValue) was still truncated after \(pages) pages", operation: Self.qualified(operation))
            }
            let next = try await page(marker)
            combined.evaluationResults = (combined.evaluationResults ?? []) + (next.evaluationResults ?? [])
            combined.isTruncated = next.isTruncated
            combined.marker = next.marker
            pages += 1
        }
        combined.isTruncated = false
        combined.marker = nil
        return combined
    }

    static func qualified(_ operation: IAMOperation) -> String {
        IAMService.signingName + ":" + operation.rawValue
    }
}
