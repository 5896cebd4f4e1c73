public import Foundation

/// Finds the shared real-market data directory (`../shared/data`, or `FULCRUM_DATA` when set).
///
/// The data is never copied into the repository; tests and examples read it in place.
public enum DataDirectory {
    /// The environment variable that overrides the data location.
    public static let environmentKey = "FULCRUM_DATA"

    /// The data directory, or `nil` when it does not exist.
    ///
    /// Looks at `FULCRUM_DATA`, then `../shared/data` relative to the current directory and to `packageRoot`
    /// (the package root, when known, e.g. from `#filePath` in tests).
    public static func locate(packageRoot: URL? = nil) -> URL? {
        let fileManager = FileManager.default
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment[environmentKey], !override.isEmpty {
            candidates.append(URL(fileURLWithPath: override))
        }
        let cwd = URL(fileURLWithPath: fileManager.currentDirectoryPath)
        candidates.append(cwd.appendingPathComponent("../shared/data").standardized)
        if let packageRoot {
            candidates.append(packageRoot.appendingPathComponent("../shared/data").standardized)
        }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return candidate
            }
        }
        return nil
    }

    /// A file inside the data directory, or `nil` when the directory or the file is missing.
    public static func file(_ relativePath: String, packageRoot: URL? = nil) -> URL? {
        guard let root = locate(packageRoot: packageRoot) else { return nil }
        let url = root.appendingPathComponent(relativePath)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Whether the run is in CI (`CI=true`), where missing data is a failure rather than a skip.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
}
