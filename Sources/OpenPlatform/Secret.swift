/// A value that must never be printed: the app secret, an access token.
///
/// Its `description`, `debugDescription`, reflection and `Encodable` form are all redacted, so a
/// secret reaching a log line, an error message or a JSON file is visible as `<redacted>` instead
/// of leaking. Only ``reveal()`` gives the value, and only the signer calls it.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable, Encodable
{
    private let value: String

    public init(_ value: String) { self.value = value }

    /// The raw value. Call sites are few and reviewed: signing, and the sandbox's verification.
    public func reveal() -> String { value }

    public var isEmpty: Bool { value.isEmpty }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode("<redacted>")
    }
}

/// What identifies an application to the gateway.
public struct Credentials: Sendable, Hashable, CustomStringConvertible {
    public var appKey: String
    public var appSecret: Secret
    /// Tags affiliate links and `promotion_link`s with the publisher's tracking id.
    public var trackingID: String?

    public init(appKey: String, appSecret: Secret, trackingID: String? = nil) {
        self.appKey = appKey
        self.appSecret = appSecret
        self.trackingID = trackingID
    }

    public var description: String {
        "Credentials(appKey: \(appKey), appSecret: <redacted>, trackingID: \(trackingID ?? "none"))"
    }
}
