#if canImport(Glibc)
import Glibc
#endif

/// Tuning of the C allocator for long streaming runs.
enum Memory {
    /// A streaming run allocates and frees large buffers per batch (its output, a few megabytes
    /// when every finding is written; the input too when it is read rather than mapped). By
    /// default glibc hands such blocks back to the system at once and maps fresh pages for the
    /// next, so each batch pays for page faults; fixed thresholds keep them for reuse (memory
    /// stays bounded: a few batches are alive at a time). glibc's `mallopt` is not in Swift's Glibc module, so it
    /// is looked up by name; elsewhere this does nothing.
    static func keepFreedMemory() {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD in <malloc.h>
        _ = mallopt(mmapThreshold, 32 << 20)
        _ = mallopt(trimThreshold, 128 << 20)
        #endif
    }
}
