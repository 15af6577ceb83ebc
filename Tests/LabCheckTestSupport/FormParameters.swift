import Foundation

/// The parameters of an `application/x-www-form-urlencoded` body (a query-protocol request), names and values decoded.
public func formParameters(_ body: String) -> [String: String] {
    var components = URLComponents()
    components.percentEncodedQuery = body.replacingOccurrences(of: "+", with: "%20")
    var form: [String: String] = [:]
    for item in components.queryItems ?? [] { form[item.name] = item.value ?? "" }
    return form
}
