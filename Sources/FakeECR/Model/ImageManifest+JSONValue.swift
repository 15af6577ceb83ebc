import ECRWire
import Foundation

/// A manifest read from its parsed JSON (`JSONValue`, whose parser accepts and reads exactly what
/// `JSONDecoder` does, first of repeated members included): the same fields as `init(from:)` reads,
/// with the same leniency, without a decoder's containers and the errors each lenient member throws
/// on its way to nil. `JSONValue` holds numbers as doubles: an integral number of 2^53 or more, which
/// a double may not hold exactly while JSONDecoder reads it as an exact Int64, makes this answer nil,
/// and the decoder reads that manifest instead.
extension ImageManifest {
    /// 2^53: integral doubles below it are exact, as JSONDecoder's integers are.
    fileprivate static let exactLimit = 9_007_199_254_740_992.0

    init?(members: [String: JSONValue]) {
        guard let schemaVersion = Self.integer(members["schemaVersion"]) else { return nil }
        self.schemaVersion = schemaVersion.map { Int($0) }
        mediaType = members["mediaType"]?.stringValue
        hasConfig = members["config"] != nil
        guard let config = Self.descriptor(members["config"]), let layers = Self.descriptors(members["layers"]),
              let manifests = Self.descriptors(members["manifests"]), let subject = Self.descriptor(members["subject"]),
              let wellFormedConfig = Self.strict(members["config"]), let wellFormedLayers = Self.strictList(members["layers"]),
              let wellFormedManifests = Self.strictList(members["manifests"])
        else { return nil }
        self.config = config
        self.layers = layers ?? []
        self.manifests = manifests
        hasManifests = members["manifests"] != nil
        self.subject = subject
        artifactType = members["artifactType"]?.stringValue
        annotations = Self.stringMap(members["annotations"])
        wellFormed = WellFormed(config: wellFormedConfig, layers: wellFormedLayers, manifests: wellFormedManifests)
    }

    /// A member as JSONDecoder reads an Int64 (`try?`): `.some(nil)` when absent or not an integral
    /// number, nil when it is one a double may not hold exactly (the decoder must read it).
    fileprivate static func integer(_ value: JSONValue?) -> Int64?? {
        guard case .number(let number)? = value, number.rounded(.towardZero) == number else { return .some(nil) }
        guard abs(number) < exactLimit else { return nil }
        return .some(Int64(number))
    }

    /// A lenient descriptor: `.some(nil)` when absent or not an object; nil when not exactly readable.
    private static func descriptor(_ value: JSONValue?) -> Descriptor?? {
        guard case .object(let members)? = value else { return .some(nil) }
        return Descriptor(members: members).map { .some($0) }
    }

    /// A lenient list of descriptors: `.some(nil)` unless an array of objects only.
    private static func descriptors(_ value: JSONValue?) -> [Descriptor]?? {
        guard case .array(let items)? = value else { return .some(nil) }
        var list: [Descriptor] = []
        list.reserveCapacity(items.count)
        for item in items {
            guard case .object(let members) = item else { return .some(nil) }
            guard let descriptor = Descriptor(members: members) else { return nil }
            list.append(descriptor)
        }
        return .some(list)
    }

    /// Whether the member is a descriptor as the specifications require (a string `mediaType` and
    /// `digest`, an integer `size`); nil when its size is not exactly readable.
    private static func strict(_ value: JSONValue?) -> Bool? {
        guard case .object(let members)? = value, members["mediaType"]?.stringValue != nil, members["digest"]?.stringValue != nil
        else { return false }
        guard let size = integer(members["size"]) else { return nil }
        return size != nil
    }

    private static func strictList(_ value: JSONValue?) -> Bool? {
        guard case .array(let items)? = value else { return false }
        for item in items {
            guard let wellFormed = strict(item) else { return nil }
            if !wellFormed { return false }
        }
        return true
    }

    /// A lenient `[String: String]`: nil unless an object of strings only.
    static func stringMap(_ value: JSONValue?) -> [String: String]? {
        guard case .object(let members)? = value else { return nil }
        var map: [String: String] = [:]
        map.reserveCapacity(members.count)
        for (key, member) in members {
            guard case .string(let text) = member else { return nil }
            map[key] = text
        }
        return map
    }
}

extension ImageManifest.Descriptor {
    /// As `init(from:)` reads a descriptor; nil when its size is not exactly readable.
    init?(members: [String: JSONValue]) {
        mediaType = members["mediaType"]?.stringValue
        digest = members["digest"]?.stringValue
        // As `init(from:)`: an Int64, else a double cut toward zero, else 0.
        guard let whole = ImageManifest.integer(members["size"]) else { return nil }
        if let whole {
            size = whole
        } else if case .number(let number)? = members["size"] {
            size = Int64(exactly: number.rounded(.towardZero)) ?? 0
        } else {
            size = 0
        }
        hasURLs = members["urls"] != nil
        annotations = ImageManifest.stringMap(members["annotations"])
    }
}
