import XCTest
@testable import BottomLine
#if canImport(Glibc)
import Glibc
#endif

/// A mapped input file (`MappedFile`): its pages are let go 8 MiB at a time behind the run, and
/// what is read is the file's content whatever has been let go.
final class MappedFileTests: XCTestCase {
    #if canImport(Glibc)
    /// The test file's byte at offset `i`: varies within and across pages.
    func byte(_ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: i &* 7 &+ i >> 12) }

    /// A file of `content`, removed after the test.
    func temporaryFile(_ content: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "bottomline-mapped-\(getpid())-\(content.count).ndjson"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(content)))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testPagesAreLetGoInStepsAndTheContentStaysTheFiles() throws {
        let count = 20 << 20 + 123
        // (Pages of different bytes, each page's its own: a page read back from the wrong place differs.)
        let content = [UInt8](unsafeUninitializedCapacity: count) { b, n in
            for i in 0..<count { b[i] = byte(i) }
            n = count
        }
        let path = try temporaryFile(content)
        let fd = open(path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { Glibc.close(fd) }
        let mapped = try XCTUnwrap(MappedFile(fd: fd))
        defer { mapped.close() }
        XCTAssertEqual(mapped.bytes.count, count)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        // (Every page touched first, so that letting go has something to drop.)
        var sum = 0
        for i in stride(from: 0, to: count, by: page) { sum &+= Int(mapped.bytes[i]) }
        XCTAssertNotEqual(sum, 0)
        // Checked by hand: under 8 MiB nothing is let go; then whole pages up to the offset,
        // once 8 MiB more have been passed.
        mapped.release(upTo: 4 << 20)
        XCTAssertEqual(mapped.released, 0)
        mapped.release(upTo: 8 << 20 + 100)
        XCTAssertEqual(mapped.released, 8 << 20)
        mapped.release(upTo: 12 << 20)
        XCTAssertEqual(mapped.released, 8 << 20)
        mapped.release(upTo: 16 << 20 + page + 5)
        XCTAssertEqual(mapped.released, 16 << 20 + page)
        // Read again after being let go, every byte is the file's.
        XCTAssertEqual(content.withUnsafeBufferPointer { memcmp($0.baseAddress!, mapped.bytes.baseAddress!, count) }, 0)
    }

    func testOnlyARegularNonEmptyFileIsMapped() throws {
        let empty = try temporaryFile([])
        let fd = open(empty, O_RDONLY)
        defer { Glibc.close(fd) }
        XCTAssertNil(MappedFile(fd: fd))
        var pipeEnds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&pipeEnds), 0)
        defer {
            Glibc.close(pipeEnds[0])
            Glibc.close(pipeEnds[1])
        }
        XCTAssertNil(MappedFile(fd: pipeEnds[0]))
    }
    #endif
}
