public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads whole files into memory, inflating gzip (`.gz`) fast.
///
/// Inflation tries, in order: libdeflate (`libdeflate_gzip_decompress`, one shot, ~3× zlib), zlib's `gzread`
/// (both loaded with `dlopen`, so the package needs no system-library target), then a `gzip -dc` child process.
public enum MarketDataGzip {
    /// The bytes of `url`, inflated when the name ends in `.gz`.
    ///
    /// - Throws: ``MarketDataError`` naming the file when it cannot be read or inflated.
    public static func bytes(of url: URL) throws(MarketDataError) -> [UInt8] {
        let raw: Data
        do {
            raw = try Data(contentsOf: url)
        } catch {
            throw MarketDataError("cannot read \(url.path): \(error.localizedDescription)")
        }
        guard url.pathExtension.lowercased() == "gz" else { return [UInt8](raw) }
        let input = [UInt8](raw)
        if let inflated = libdeflate(input) { return inflated }
        if let inflated = zlib(path: url.path) { return inflated }
        return try gzipProcess(url)
    }

    private static func symbol(_ libraries: [String], _ name: String) -> UnsafeMutableRawPointer? {
        for library in libraries {
            if let handle = dlopen(library, RTLD_NOW), let pointer = dlsym(handle, name) { return pointer }
        }
        return nil
    }

    private typealias AllocDecompressor = @convention(c) () -> OpaquePointer?
    private typealias FreeDecompressor = @convention(c) (OpaquePointer?) -> Void
    private typealias GzipDecompress =
        @convention(c) (
            OpaquePointer?, UnsafeRawPointer?, Int, UnsafeMutableRawPointer?, Int, UnsafeMutablePointer<Int>?
        ) -> Int32

    /// One-shot libdeflate inflation sized by the gzip trailer's ISIZE (size mod 2³²; grown if short).
    private static func libdeflate(_ input: [UInt8]) -> [UInt8]? {
        let libraries = ["libdeflate.so.0", "libdeflate.so", "libdeflate.dylib", "libdeflate.0.dylib"]
        guard input.count >= 18,
            let allocPointer = symbol(libraries, "libdeflate_alloc_decompressor"),
            let freePointer = symbol(libraries, "libdeflate_free_decompressor"),
            let inflatePointer = symbol(libraries, "libdeflate_gzip_decompress")
        else { return nil }
        let alloc = unsafeBitCast(allocPointer, to: AllocDecompressor.self)
        let free = unsafeBitCast(freePointer, to: FreeDecompressor.self)
        let inflate = unsafeBitCast(inflatePointer, to: GzipDecompress.self)
        guard let decompressor = alloc() else { return nil }
        defer { free(decompressor) }
        let n = input.count
        var size =
            Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
        size = max(size, 1)
        for _ in 0..<6 {
            var output = [UInt8](repeating: 0, count: size)
            var actual = 0
            let status = input.withUnsafeBytes { source in
                output.withUnsafeMutableBytes { target in
                    inflate(decompressor, source.baseAddress, n, target.baseAddress, size, &actual)
                }
            }
            if status == 0 {
                output.removeSubrange(actual...)
                return output
            }
            guard status == 3 else { return nil }  // 3: insufficient space (ISIZE wrapped or multi-member)
            size = size &* 4 &+ (1 << 20)
        }
        return nil
    }

    private typealias GzOpen = @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> OpaquePointer?
    private typealias GzRead = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UInt32) -> Int32
    private typealias GzClose = @convention(c) (OpaquePointer?) -> Int32

    /// zlib's `gzread` in 4 MiB chunks.
    private static func zlib(path: String) -> [UInt8]? {
        let libraries = ["libz.so.1", "libz.so", "libz.dylib", "libz.1.dylib"]
        guard let openPointer = symbol(libraries, "gzopen"), let readPointer = symbol(libraries, "gzread"),
            let closePointer = symbol(libraries, "gzclose")
        else { return nil }
        let open = unsafeBitCast(openPointer, to: GzOpen.self)
        let read = unsafeBitCast(readPointer, to: GzRead.self)
        let close = unsafeBitCast(closePointer, to: GzClose.self)
        guard let file = open(path, "rb") else { return nil }
        defer { _ = close(file) }
        var output: [UInt8] = []
        let chunk = 4 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(file, $0.baseAddress, UInt32(chunk)) }
            if count < 0 { return nil }
            if count == 0 { break }
            output.append(contentsOf: buffer[0..<Int(count)])
        }
        return output
    }

    /// `gzip -dc FILE` as a child process.
    private static func gzipProcess(_ url: URL) throws(MarketDataError) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        do {
            try process.run()
        } catch {
            throw MarketDataError("cannot run gzip for \(url.path): \(error.localizedDescription)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MarketDataError("gzip -dc \(url.path) failed with status \(process.terminationStatus)")
        }
        return [UInt8](data)
    }
}
