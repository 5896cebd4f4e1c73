#if canImport(Glibc)
    import Glibc
#endif

/// How the process asks the C allocator for large buffers (the lab's per-account arrays).
///
/// glibc's default mmap threshold is dynamic: once a large buffer is freed, buffers up to that size (here up to
/// 32 MiB) come from the heap, and a heap freed in the middle is not returned to the system. The two workloads of
/// `fulcrum stress` want opposite settings:
///
/// - **One path** (``mapPerBuffer``) is memory-bound. In a 1,000,000-account run the per-step scratch of the clearing
///   call (megabytes each, allocated and freed every step) fragmented the heap, which grew to 55 MB: 209 B per
///   account at the peak. A fixed threshold of 1 MiB gives every such buffer its own mapping, returned to the system
///   when it is freed: 188 B per account, the same results, and no measurable cost in time (docs/BENCHMARKS.md).
/// - **Many paths** (``reuseAcrossPaths``) are time-bound. Each path copies the shared engine and population into
///   fresh buffers (about 12 MB at 100,000 accounts) and frees them at its end. Mapped on their own, every path's
///   copies fault in fresh zeroed pages: 10 ms of kernel time per path. Served from the heap, with the heap never
///   trimmed, the next path reuses the same memory: kernel time fell from 0.21 s to 0.02 s over 20 paths, for 1 MB more
///   resident memory.
enum LargeBufferPolicy {
    /// One path: buffers of at least 1 MiB are mapped on their own and returned when freed.
    case mapPerBuffer
    /// Many paths: buffers up to 32 MiB come from the heap, which is never trimmed, so freed buffers are reused.
    case reuseAcrossPaths

    /// The policy for a run of `paths` paths.
    static func forPaths(_ paths: Int) -> Self { paths > 1 ? .reuseAcrossPaths : .mapPerBuffer }

    /// glibc's `M_TRIM_THRESHOLD` option of `mallopt` (`<malloc.h>`, which the Glibc module does not export).
    static let trimThresholdOption: Int32 = -1
    /// glibc's `M_MMAP_THRESHOLD` option of `mallopt`.
    static let mappedThresholdOption: Int32 = -3

    /// The `mallopt` settings of the policy, as (option, value) pairs.
    var settings: [(option: Int32, value: Int32)] {
        switch self {
        case .mapPerBuffer:
            return [(Self.mappedThresholdOption, 1_024 * 1_024)]
        case .reuseAcrossPaths:
            // 32 MiB is glibc's largest mmap threshold on 64-bit systems; a trim threshold of 1 GiB never trims.
            return [
                (Self.mappedThresholdOption, 32 * 1_024 * 1_024), (Self.trimThresholdOption, 1_024 * 1_024 * 1_024),
            ]
        }
    }

    /// Applies the policy to this process; a no-op where the C library is not glibc or has no `mallopt`.
    func apply() {
        #if canImport(Glibc)
            // `mallopt` is looked up at run time and called with the C calling convention; RTLD_DEFAULT is null.
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(nil, "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            // Fixing a threshold also switches off glibc's dynamic adjustment of it.
            for setting in settings { _ = mallopt(setting.option, setting.value) }
        #endif
    }
}
