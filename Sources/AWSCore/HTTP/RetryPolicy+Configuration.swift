import Foundation

extension RetryPolicy {
    /// The retry policy as the AWS CLI and SDKs configure it: `AWS_MAX_ATTEMPTS`, else the profile's
    /// `max_attempts`, else standard mode's 3 attempts. A bad value is an error naming where it was set.
    public static func configured(profile: AWSProfile?, environment: [String: String]) throws -> RetryPolicy {
        func attempts(_ text: String, from source: String) throws -> Int {
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), (1...20).contains(value) else {
                throw AWSConfigError("\(source): max_attempts must be a whole number from 1 to 20, found '\(text)'")
            }
            return value
        }
        if let text = environment["AWS_MAX_ATTEMPTS"], !text.isEmpty {
            return RetryPolicy(maxAttempts: try attempts(text, from: "AWS_MAX_ATTEMPTS"))
        }
        if let profile, let text = profile["max_attempts"] {
            return RetryPolicy(maxAttempts: try attempts(text, from: profile.describeLocation(of: "max_attempts")))
        }
        return .standard
    }
}
