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

/// A regular file mapped read-only into memory, for reading it whole without copying.
final class MappedFile {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Pages before this offset have been let go.
    private var released = 0

    /// `nil` when the descriptor is not a regular, non-empty file or cannot be mapped (the
    /// caller then reads it in chunks).
    init?(fd: Int32) {
        #if canImport(Glibc)
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else { return nil }
        _ = madvise(p, size, MADV_SEQUENTIAL)
        bytes = UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: size)
        #else
        return nil
        #endif
    }

    /// Pages are let go this many bytes at a time, at most 8 MiB more held than read. (Each
    /// `madvise` of a mapping shared by several threads interrupts every core to forget the
    /// pages: done for each batch of 256 KiB, that was some 2,700 interruptions of the workers in
    /// a national run, and about a tenth of the calling thread's time.)
    static let releaseStep = 8 << 20

    /// Lets go of the pages before `offset` (they will not be read again), once they come to
    /// `releaseStep`: they leave this process's resident memory, so a run's memory does not grow
    /// with the file.
    func release(upTo offset: Int) {
        #if canImport(Glibc)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let end = offset / page * page
        guard end - released >= MappedFile.releaseStep else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: bytes.baseAddress! + released), end - released, MADV_DONTNEED)
        released = end
        #endif
    }

    func close() {
        #if canImport(Glibc)
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        #endif
    }
}
