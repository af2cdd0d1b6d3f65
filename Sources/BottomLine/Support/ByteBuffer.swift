#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable run of bytes for writers that append a great many small pieces: one capacity
/// check and a copy per piece, without the general machinery of `Array.append`. Owned by one
/// writer (`JSONWriter` is not copyable), or, once written, handed whole to one other thread (a
/// batch's output, to the thread that writes it): never used by two at once, hence `@unchecked`.
final class ByteBuffer: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = max(16, capacity)
        base = ByteBuffer.reallocate(nil, capacity: self.capacity)
    }

    deinit { free(base) }

    /// The bytes written so far.
    var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Calls `body` with the bytes written so far, where they lie.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    @inline(__always) func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    /// Doubles the room (at least to `needed`). The C allocator's `realloc` often extends the
    /// block where it lies, where a new block had every byte so far copied into it: a batch's
    /// output with every finding written grows from a kilobyte to megabytes, and copying it at
    /// each doubling cost a twelfth of such a run.
    private func grow(_ needed: Int) {
        capacity = max(needed, capacity * 2)
        base = ByteBuffer.reallocate(base, capacity: capacity)
    }

    /// `realloc`, stopping the program if memory is exhausted (as Swift's own allocation does).
    private static func reallocate(_ p: UnsafeMutablePointer<UInt8>?, capacity: Int) -> UnsafeMutablePointer<UInt8> {
        guard let fresh = realloc(p, capacity) else { fatalError("out of memory: \(capacity) bytes for output") }
        return fresh.assumingMemoryBound(to: UInt8.self)
    }

    @inline(__always) func append(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    @inline(__always) func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let p = bytes.baseAddress, !bytes.isEmpty else { return }
        let n = bytes.count
        reserve(n)
        if n <= 16 {
            // Short pieces (keys, dates, small strings) are most of them: copied in place.
            ByteBuffer.copyShort(UnsafeRawPointer(p), to: UnsafeMutableRawPointer(base + count), count: n)
        } else {
            memcpy(base + count, p, n)
        }
        count += n
    }

    /// Copies `n` bytes (at most 16): two words that overlap in the middle for 8 or more, two
    /// half-words for 4 to 7, else byte by byte (keys and short values: a call to `memcpy`, or a
    /// loop over every byte, costs more).
    @inline(__always) static func copyShort(_ from: UnsafeRawPointer, to: UnsafeMutableRawPointer, count n: Int) {
        if n >= 8 {
            let head = from.loadUnaligned(as: UInt64.self)
            let tail = from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            to.storeBytes(of: head, as: UInt64.self)
            to.storeBytes(of: tail, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            let head = from.loadUnaligned(as: UInt32.self)
            let tail = from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: n - 4, as: UInt32.self)
        } else {
            for i in 0..<n { to.storeBytes(of: from.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self) }
        }
    }

    /// Appends a string's UTF-8 bytes.
    @inline(__always) func append(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }

    /// Appends `"` + `bytes` + `"` + `suffix` (nothing, or the `:` after a key): one capacity
    /// check and one count update for the whole piece.
    @inline(__always) func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, colon: Bool = false) {
        let n = bytes.count
        reserve(n + 3)
        let to = base + count
        to[0] = 0x22
        if let p = bytes.baseAddress {
            if n <= 16 {
                ByteBuffer.copyShort(UnsafeRawPointer(p), to: UnsafeMutableRawPointer(to + 1), count: n)
            } else {
                memcpy(to + 1, p, n)
            }
        }
        to[n + 1] = 0x22
        if colon { to[n + 2] = 0x3A }
        count += n + (colon ? 3 : 2)
    }

    /// Appends at most `maxCount` bytes that `write` puts in place and counts (returning how
    /// many it wrote): one capacity check and one count update for a piece of many parts.
    @inline(__always) func append(atMost maxCount: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(maxCount)
        let n = write(base + count)
        assert(n <= maxCount)
        count += n
    }

    /// Copies `n` bytes from `from` to `to` when none needs escaping in JSON, checking and
    /// copying eight bytes at a time; returns false (having copied some) when one does.
    @inline(__always) static func copyIfPlain(_ from: UnsafePointer<UInt8>, count n: Int, to: UnsafeMutablePointer<UInt8>) -> Bool {
        let source = UnsafeRawPointer(from)
        let dest = UnsafeMutableRawPointer(to)
        var i = 0
        while i + 8 <= n {
            let x = source.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if ByteBuffer.needsEscape(x) { return false }
            dest.storeBytes(of: x, toByteOffset: i, as: UInt64.self)
            i += 8
        }
        if i < n, n >= 8 {
            // The last few bytes: the word that ends with them (it overlaps the last one).
            let x = source.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            if ByteBuffer.needsEscape(x) { return false }
            dest.storeBytes(of: x, toByteOffset: n - 8, as: UInt64.self)
        } else {
            while i < n {
                let c = from[i]
                if c < 0x20 || c == 0x22 || c == 0x5C { return false }
                to[i] = c
                i += 1
            }
        }
        return true
    }

    /// The most bytes `writeQuoted` writes for `n` bytes: each escaped as `\u00XX`, and the quotes.
    @inline(__always) static func quotedBound(_ n: Int) -> Int { 6 * n + 2 }

    /// Writes `bytes` as a JSON string at `to` (quoted, escaped as needed), which has room for
    /// `quotedBound(bytes.count)`; returns how many bytes it wrote.
    @inline(__always) static func writeQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to: UnsafeMutablePointer<UInt8>) -> Int {
        let n = bytes.count
        if let p = bytes.baseAddress, !copyIfPlain(p, count: n, to: to + 1) { return writeEscaped(bytes, to: to) }
        to[0] = 0x22
        to[n + 1] = 0x22
        return n + 2
    }

    /// As `writeQuoted`, byte by byte, escaping `"`, `\\` and control characters.
    static func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to: UnsafeMutablePointer<UInt8>) -> Int {
        var at = 0
        @inline(__always) func put(_ b: UInt8) {
            to[at] = b
            at += 1
        }
        put(0x22)
        for b in bytes {
            switch b {
            case 0x22: put(0x5C); put(0x22)
            case 0x5C: put(0x5C); put(0x5C)
            case 0x0A: put(0x5C); put(0x6E)
            case 0x0D: put(0x5C); put(0x72)
            case 0x09: put(0x5C); put(0x74)
            case 0..<0x20:
                put(0x5C); put(0x75); put(0x30); put(0x30)
                put(hexDigit(b >> 4)); put(hexDigit(b & 0xF))
            default: put(b)
            }
        }
        put(0x22)
        return at
    }

    @inline(__always) private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }

    /// Whether any of the eight bytes of `x` needs escaping in JSON: a byte less than 0x20, or
    /// equal to `"` or `\\`.
    @inline(__always) static func needsEscape(_ x: UInt64) -> Bool { jsonSpecialBytes(x) != 0 }

    @inline(__always) func append(_ s: StaticString) {
        append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// The most bytes `writeDecimal` writes.
    static let decimalBound = 20

    /// Writes a whole number in decimal at `p` (room for `decimalBound` bytes), its digits
    /// counted first, then written from the last; returns how many bytes it wrote.
    @inline(__always) static func writeDecimal(_ n: Int, to p: UnsafeMutablePointer<UInt8>) -> Int {
        let sign = n < 0 ? 1 : 0
        if sign == 1 { p[0] = 0x2D }
        // (The magnitude, as an unsigned number: that of `Int.min` is not an `Int`.)
        var m = n.magnitude
        var digits = 1
        var limit: UInt = 10
        while m >= limit, digits < 19 {
            digits += 1
            limit &*= 10
        }
        var at = p + sign + digits
        repeat {
            at -= 1
            at.pointee = UInt8(truncatingIfNeeded: 0x30 + m % 10)
            m /= 10
        } while m > 0
        return sign + digits
    }

    /// Appends a whole number in decimal, its digits written in place (`writeDecimal`).
    func append(decimal n: Int) {
        reserve(ByteBuffer.decimalBound)
        count += ByteBuffer.writeDecimal(n, to: base + count)
    }
}

/// The bytes of `x` (eight bytes read little-endian) that are special inside a JSON string: less
/// than 0x20, or `"` or `\\`. Each such byte has its high bit set in the result, by the bit
/// tricks for finding a byte in a word; the lowest set bit is always exact (so
/// `trailingZeroBitCount / 8` is the first special byte's place), while bits above it may be
/// set by a borrow without their byte being special. Zero when no byte is special.
@inline(__always) func jsonSpecialBytes(_ x: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let control = (x &- ones &* 0x20) & ~x & highs
    let q = x ^ (ones &* 0x22)
    let quote = (q &- ones) & ~q & highs
    let b = x ^ (ones &* 0x5C)
    let backslash = (b &- ones) & ~b & highs
    return control | quote | backslash
}
