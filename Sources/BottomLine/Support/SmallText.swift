/// Text of at most 15 ASCII bytes made in place, as the standard library itself makes it: a
/// `String` of so few bytes holds them in its own two words (a "small string"), with its count
/// and flags in the top byte. The snapshot reader makes a few such strings a snapshot (the case's
/// id, the worker's, the team's), and `String(decoding:as:)` spent some 170 instructions on each,
/// in calls to check and copy bytes that are already known to be plain ASCII.
///
/// Used only where `layoutHolds`: the standard library's own strings are checked once, for every
/// count from 0 to 15, to be laid out exactly as `ascii` lays them out; anywhere else, text is
/// made by `String(decoding:as:)`. Either way the string is the same, bit for bit.
enum SmallText {
    /// Whether this platform lays out small ASCII strings as `ascii` makes them.
    static let layoutHolds: Bool = {
        #if _endian(little) && _pointerBitWidth(_64)
        guard MemoryLayout<String>.size == 16 else { return false }
        let letters = Array("abcdefghijklmno".utf8)
        for n in 0...15 {
            let standard = String(decoding: letters[..<n], as: UTF8.self)
            let (lo, hi) = letters.withUnsafeBytes { b in
                (n == 0 ? 0 : load(b.baseAddress!, count: min(n, 8)), n <= 8 ? 0 : load(b.baseAddress! + 8, count: n - 8))
            }
            guard let made = ascii(lo, hi, count: n), made == standard,
                unsafeBitCast(made, to: (UInt64, UInt64).self) == unsafeBitCast(standard, to: (UInt64, UInt64).self)
            else { return false }
        }
        return true
        #else
        return false
        #endif
    }()

    /// The first `count` bytes (1–8) at `p`, read little-endian.
    private static func load(_ p: UnsafeRawPointer, count: Int) -> UInt64 {
        var w: UInt64 = 0
        for i in 0..<count { w |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << UInt64(8 * i) }
        return w
    }

    /// The string of the first `count` bytes (0–15) of `lo` then `hi` (read little-endian; bytes
    /// past `count` are ignored); nil when one of them is not ASCII. Only where `layoutHolds`.
    @inline(__always) static func ascii(_ lo: UInt64, _ hi: UInt64, count: Int) -> String? {
        #if _endian(little) && _pointerBitWidth(_64)
        // (Shifts of 64 or more give 0: a mask of every byte of `lo` when `count` is 8 or more.)
        let a = lo & ((1 << UInt64(8 * count)) &- 1)
        let b = count <= 8 ? 0 : hi & ((1 << UInt64(8 * (count - 8))) &- 1)
        guard (a | b) & 0x8080_8080_8080_8080 == 0 else { return nil }
        // The top byte: small (0x20), ASCII (0x40), immortal (0x80), and the count.
        return unsafeBitCast((a, b | UInt64(0xE0 | count) << 56), to: String.self)
        #else
        return nil
        #endif
    }
}

extension JSONCursor {
    /// The string at the cursor (at its `"`), moving past it, when it is at most 15 ASCII bytes
    /// without escapes and the buffer holds 16 bytes after its opening quote: made in place (see
    /// `SmallText`; only where `SmallText.layoutHolds`, which the caller checks). Otherwise nil,
    /// the cursor not moved, for `readString` to read it (with its errors).
    @inline(__always) mutating func readSmallASCII() -> String? {
        let at = pos + 1
        guard at + 16 <= end else { return nil }
        let raw = UnsafeRawPointer(base + at)
        let lo = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
        let hi = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        // The first byte special in a string (`jsonSpecialBytes`) must be its closing quote.
        let count: Int
        let special = jsonSpecialBytes(lo)
        if special != 0 {
            count = special.trailingZeroBitCount >> 3
        } else {
            let later = jsonSpecialBytes(hi)
            guard later != 0 else { return nil }
            count = 8 + later.trailingZeroBitCount >> 3
        }
        guard base[at + count] == 0x22, let text = SmallText.ascii(lo, hi, count: count) else { return nil }
        pos = at + count + 1
        return text
    }
}
