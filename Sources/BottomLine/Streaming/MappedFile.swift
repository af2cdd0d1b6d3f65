#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file mapped read-only into memory, for reading it whole without copying (see
/// `StreamingCheck.run(file:bytes:splitLines:write:consumed:state:)`), its pages let go as the
/// run moves past them (`release(upTo:)`), so that memory does not grow with the file.
public final class MappedFile {
    /// The file's bytes, valid until `close()`.
    public let bytes: UnsafeBufferPointer<UInt8>
    /// Pages before this offset have been let go.
    private(set) var released = 0

    /// `nil` when the descriptor is not a regular, non-empty file or cannot be mapped (the
    /// caller then reads it in chunks).
    public init?(fd: Int32) {
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
    public func release(upTo offset: Int) {
        #if canImport(Glibc)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let end = offset / page * page
        guard end - released >= MappedFile.releaseStep else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: bytes.baseAddress! + released), end - released, MADV_DONTNEED)
        released = end
        #endif
    }

    /// Unmaps the file: `bytes` may not be read after.
    public func close() {
        #if canImport(Glibc)
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        #endif
    }
}
