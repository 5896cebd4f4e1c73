#if canImport(Glibc)
    import Glibc
#endif

/// How the process asks the C allocator for large buffers (the lab's per-account arrays).
///
/// glibc's default mmap threshold is dynamic: once a large buffer is freed, buffers up to that size (here up to
/// 32 MiB) come from the heap, and a heap freed in the middle is not returned to the system. In a 1,000,000-account
/// stress run the per-step scratch of the clearing call (megabytes each, allocated and freed every step) then
/// fragmented the heap, which grew to 55 MB: 209 B per account at the peak. A fixed threshold of 1 MiB gives every
/// such buffer its own mapping, returned to the system when it is freed: 188 B per account with the population
/// generated in waves, the same results, and no measurable cost in time (docs/BENCHMARKS.md).
enum LargeBufferPolicy {
    /// Buffers at least this large are mapped on their own.
    static let mappedThreshold: Int32 = 1_024 * 1_024

    /// glibc's `M_MMAP_THRESHOLD` option of `mallopt` (`<malloc.h>`, which the Glibc module does not export).
    static let mappedThresholdOption: Int32 = -3

    /// Applies the policy to this process; a no-op where the C library is not glibc or has no `mallopt`.
    static func apply() {
        #if canImport(Glibc)
            // `mallopt` is looked up at run time and called with the C calling convention; RTLD_DEFAULT is null.
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(nil, "mallopt") else { return }
            // Fixing the threshold also switches off glibc's dynamic adjustment of it.
            _ = unsafeBitCast(symbol, to: Mallopt.self)(mappedThresholdOption, mappedThreshold)
        #endif
    }
}
