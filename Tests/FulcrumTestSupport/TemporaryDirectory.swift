import Foundation

/// A fresh directory under the system temporary directory, removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
    /// Its path.
    public let path: String

    /// Creates `…/tmp/PREFIX-<uuid>`.
    public init(prefix: String = "fulcrum-test") throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    /// Removes the directory now (it is also removed when the value is released).
    public func cleanup() { try? FileManager.default.removeItem(atPath: path) }

    deinit { cleanup() }
}
