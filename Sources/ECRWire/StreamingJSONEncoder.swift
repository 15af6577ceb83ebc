import Foundation

/// Encodes a value to JSON bytes as it is encoded, the way `JSONEncoder` (dates as seconds since 1970,
/// data as base64) writes it: the same members and values, strings escaped alike (`/` as `\/`), whole
/// doubles without `.0`. Members come in the order they are encoded (JSONEncoder's follow its
/// dictionary's hashing, a new order each process).
///
/// It writes each member at once instead of building a tree of boxes and then writing that, which
/// was a tenth of fake-ecr's CPU per control-plane call. What it cannot write as it goes, it leaves
/// to `JSONEncoder` (`encode` returns its answer, or its error): a container used after a sibling
/// was started, a key encoded twice, `superEncoder`, a value that encodes nothing, URL and Decimal
/// (JSONEncoder's own forms), a non-finite number, nesting deeper than 256.
public enum StreamingJSONEncoder {
    /// JSON of `value`: written by the value itself when it can (`JSONWritable`: the generated wire
    /// shapes, the same bytes), else this encoder's, or JSONEncoder's where this one does not go (with
    /// its error, when it has one: a non-finite number, say).
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        if let writable = value as? any JSONWritable {
            var json = JSONWriter()
            writable.writeJSON(to: &json)
            if !json.refused { return Data(json.bytes) }
        }
        if let bytes = try? bytes(of: value) { return Data(bytes) }
        return try foundation.encode(value)
    }

    /// JSONEncoder as this encoder writes (configured once, never changed afterwards).
    static let foundation: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    /// JSON of `value`, or `Unsupported` where JSONEncoder must write it.
    static func bytes<T: Encodable>(of value: T) throws -> [UInt8] {
        let writer = JSONStreamWriter()
        try writer.encodeValue(value, in: writer.makeSlot())
        try writer.finish()
        // A refusal an `encode(to:)` caught (`try?`) still leaves the value to JSONEncoder.
        guard !writer.refused else { throw Unsupported() }
        return writer.bytes
    }

    /// What this encoder leaves to JSONEncoder.
    struct Unsupported: Error {}
}

/// The bytes written so far and the containers still open.
///
/// Used by one thread, synchronously, and never while one of its accesses is in progress, so its
/// state is not checked for exclusive access at run time (`@exclusivity(unchecked)`): the checks,
/// a thread-local lookup at every access (`swift_beginAccess`), led its profile.
final class JSONStreamWriter {
    struct Frame {
        var id: Int
        var isObject: Bool
        var count = 0
        /// Where this object's keys start in `keys`.
        var keysStart: Int
    }

    @exclusivity(unchecked) var bytes: [UInt8] = []
    @exclusivity(unchecked) private var frames: [Frame] = []
    /// The keys of the open objects, outermost first (one array for all: none allocated per object).
    @exclusivity(unchecked) private var keys: [String] = []
    @exclusivity(unchecked) private var nextId = 1
    /// Whether anything was refused, even where the refusal could not be thrown or was caught.
    @exclusivity(unchecked) private(set) var refused = false
    /// The value slot an encoder may fill (after a key, or as an array element); 0: none.
    @exclusivity(unchecked) private var openSlot = 0
    static let maximumDepth = 256

    init() {
        bytes.reserveCapacity(512)
        frames.reserveCapacity(8)
        keys.reserveCapacity(32)
    }

    /// Marks the value as JSONEncoder's; the error to throw.
    func refuse() -> StreamingJSONEncoder.Unsupported {
        refused = true
        return StreamingJSONEncoder.Unsupported()
    }

    /// `body`'s container id, or 0 (refused) where a container cannot be opened.
    func attempt(_ body: () throws -> Int) -> Int {
        do { return try body() } catch { _ = refuse(); return 0 }
    }

    // MARK: Values

    /// Writes one value in the slot `slot`: the kinds JSONEncoder writes its own way at once (told by
    /// their types, not by casting every value), anything else by its `encode(to:)`.
    func encodeValue<T: Encodable>(_ value: T, in slot: Int) throws {
        if T.self == String.self, let string = value as? String {
            try fill(slot)
            writeString(string)
        } else if T.self == Date.self, let date = value as? Date {
            try fill(slot)
            try writeDouble(date.timeIntervalSince1970)
        } else if T.self == Data.self, let data = value as? Data {
            try fill(slot)
            writeString(data.base64EncodedString())
        } else if T.self == URL.self || T.self == Decimal.self {
            throw refuse()
        } else {
            let depth = frames.count
            try value.encode(to: JSONStreamSlot(writer: self, slot: slot))
            // A value that wrote nothing: JSONEncoder's answer (`{}` nested, an error at the top).
            guard openSlot != slot else { throw refuse() }
            try close(downTo: depth)
        }
    }

    func makeSlot() -> Int {
        let slot = nextId
        nextId += 1
        openSlot = slot
        return slot
    }

    /// Takes the slot `slot` for one value; its encoder was already used, or its moment has passed.
    func fill(_ slot: Int) throws {
        guard openSlot == slot else { throw refuse() }
        openSlot = 0
    }

    func writeNull() { JSONText.append("null", to: &bytes) }
    func writeBool(_ value: Bool) { JSONText.append(value ? "true" : "false", to: &bytes) }
    func writeInteger<T: BinaryInteger>(_ value: T) { JSONText.append(String(value), to: &bytes) }

    func writeDouble(_ value: Double) throws {
        guard let text = JSONText.number(value) else { throw refuse() }
        JSONText.append(text, to: &bytes)
    }

    func writeFloat(_ value: Float) throws {
        guard let text = JSONText.number(value) else { throw refuse() }
        JSONText.append(text, to: &bytes)
    }

    func writeString(_ string: String) { JSONText.appendString(string, to: &bytes) }

    // MARK: Containers

    /// Opens an object or array in the open slot `slot`; returns its frame's id.
    func open(object: Bool, in slot: Int) throws -> Int {
        try fill(slot)
        guard frames.count < Self.maximumDepth else { throw refuse() }
        let id = nextId
        nextId += 1
        frames.append(Frame(id: id, isObject: object, keysStart: keys.count))
        bytes.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        return id
    }

    /// Makes `id` the innermost open container again, closing the ones opened in it since (its
    /// nested containers, done once their parent goes on); it must still be open.
    private func resume(_ id: Int) throws {
        guard openSlot == 0, let index = frames.lastIndex(where: { $0.id == id }) else { throw refuse() }
        try close(downTo: index + 1)
    }

    func close(downTo depth: Int) throws {
        guard openSlot == 0 else { throw refuse() }
        while frames.count > depth {
            let frame = frames.removeLast()
            bytes.append(frame.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            keys.removeSubrange(frame.keysStart...)
        }
    }

    /// Starts the member `key` of the object `id`; the next slot is its value.
    func beginMember(_ key: String, of id: Int) throws -> Int {
        try resume(id)
        let last = frames.count - 1
        guard !keys[frames[last].keysStart...].contains(key) else { throw refuse() }
        keys.append(key)
        if frames[last].count > 0 { bytes.append(UInt8(ascii: ",")) }
        frames[last].count += 1
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        return makeSlot()
    }

    /// Starts the next element of the array `id`; the next slot is the element.
    func beginElement(of id: Int) throws -> Int {
        try resume(id)
        let last = frames.count - 1
        if frames[last].count > 0 { bytes.append(UInt8(ascii: ",")) }
        frames[last].count += 1
        return makeSlot()
    }

    func count(of id: Int) -> Int { frames.last { $0.id == id }?.count ?? 0 }

    /// After the top-level value: every container closed, nothing left unwritten.
    func finish() throws {
        guard !bytes.isEmpty else { throw refuse() }
        try close(downTo: 0)
    }
}
