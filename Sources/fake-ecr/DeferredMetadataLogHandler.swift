import Logging

/// Swift Log's `StreamLogHandler`, with metadata formatted when a message is written rather than when
/// it is set. Hummingbird sets a request id on every request's logger, and `StreamLogHandler` formats
/// its metadata anew at each setting (about 2% of a control-plane call here) although at the default
/// level nothing is written. The lines written are `StreamLogHandler`'s own.
struct DeferredMetadataLogHandler: LogHandler {
    private var stream: StreamLogHandler
    var metadata: Logger.Metadata = [:]

    init(_ stream: StreamLogHandler) {
        self.stream = stream
    }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        // The message's own metadata wins over the logger's, as StreamLogHandler merges them.
        event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        stream.log(event: event)
    }
}
