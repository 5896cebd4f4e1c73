public import Foundation

/// Streams a file line by line in 1 MiB chunks; each line is handed over as bytes (no `String` per line and
/// never the whole file in memory). A trailing `\r` is dropped. Line numbers are 1-based.
public struct EventLineReader {
    /// The file.
    public let url: URL
    /// Chunk size in bytes.
    public var chunkSize: Int

    /// Creates a reader.
    public init(url: URL, chunkSize: Int = 1 << 20) {
        self.url = url
        self.chunkSize = chunkSize
    }

    /// Calls `body` with each line's number and bytes, in order; stops at the first error `body` throws.
    ///
    /// - Throws: what `body` throws, or a file error.
    public func forEachLine(_ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var lineNumber = 0
        func emit(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            lineNumber += 1
            var count = bytes.count
            if count > 0 && bytes[count - 1] == 0x0D { count -= 1 }
            try body(lineNumber, UnsafeBufferPointer(rebasing: bytes[0..<count]))
        }
        while true {
            guard let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty else { break }
            try chunk.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                let bytes = raw.bindMemory(to: UInt8.self)
                var start = 0
                while let newline = Self.firstNewline(bytes, from: start) {
                    if pending.isEmpty {
                        try emit(UnsafeBufferPointer(rebasing: bytes[start..<newline]))
                    } else {
                        pending.append(contentsOf: bytes[start..<newline])
                        try pending.withUnsafeBufferPointer { try emit($0) }
                        pending.removeAll(keepingCapacity: true)
                    }
                    start = newline + 1
                }
                pending.append(contentsOf: bytes[start...])
            }
        }
        if !pending.isEmpty { try pending.withUnsafeBufferPointer { try emit($0) } }
    }

    private static func firstNewline(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == 0x0A { return index }
            index += 1
        }
        return nil
    }
}
