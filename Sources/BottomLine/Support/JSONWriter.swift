/// A small, allocation-light writer of JSON text with keys in the order they are written,
/// so that output is byte-identical for the same input.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Bit `d`: the value being written at depth `d` already has an item, so the next needs a
    /// comma. (The writer only writes BottomLine's own shapes, nested a few levels deep; levels
    /// past 63 share the last bit.)
    private var needsComma: UInt64 = 0
    private let pretty: Bool
    private var depth = 0

    /// `pretty` indents with two spaces; otherwise the output is one line.
    public init(pretty: Bool = false) { self.pretty = pretty }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func beginObject() { valuePrefix(); open(0x7B) }
    public mutating func endObject() { close(0x7D) }
    public mutating func beginArray() { valuePrefix(); open(0x5B) }
    public mutating func endArray() { close(0x5D) }

    /// Writes a key; the next call writes its value.
    public mutating func key(_ k: String) {
        valuePrefix()
        writeString(k)
        bytes.append(0x3A)
        if pretty { bytes.append(0x20) }
        pendingKey = true
    }

    public mutating func string(_ s: String) { valuePrefix(); writeString(s) }
    public mutating func int(_ n: Int) { valuePrefix(); bytes.append(contentsOf: String(n).utf8) }
    public mutating func bool(_ b: Bool) { valuePrefix(); bytes.append(contentsOf: (b ? "true" : "false").utf8) }
    public mutating func null() { valuePrefix(); bytes.append(contentsOf: "null".utf8) }
    public mutating func number(_ d: Double) {
        valuePrefix()
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 {
            bytes.append(contentsOf: String(Int64(d)).utf8)
        } else if d.isFinite {
            bytes.append(contentsOf: String(d).utf8)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
    }

    /// Convenience: `"key": "value"`.
    public mutating func field(_ k: String, _ v: String) { key(k); string(v) }
    public mutating func field(_ k: String, _ v: Int) { key(k); int(v) }
    public mutating func field(_ k: String, _ v: Bool) { key(k); bool(v) }
    /// Writes the field only when `v` is not nil.
    public mutating func optionalField(_ k: String, _ v: String?) { if let v { field(k, v) } }

    /// Ends a top-level value with a newline (for NDJSON): the next value starts a new line,
    /// with no comma.
    public mutating func newline() {
        bytes.append(0x0A)
        if depth == 0 { needsComma &= ~1 }
    }

    private var pendingKey = false

    private mutating func valuePrefix() {
        if pendingKey {
            pendingKey = false
            return
        }
        let bit: UInt64 = 1 << UInt64(min(depth, 63))
        if needsComma & bit != 0 { bytes.append(0x2C) }
        if depth > 0 && pretty { indentLine() }
        needsComma |= bit
    }

    private mutating func open(_ b: UInt8) {
        bytes.append(b)
        depth += 1
        needsComma &= ~(1 << UInt64(min(depth, 63)))
    }

    private mutating func close(_ b: UInt8) {
        let hadItems = needsComma & (1 << UInt64(min(depth, 63))) != 0
        needsComma &= ~(1 << UInt64(min(depth, 63)))
        depth -= 1
        if pretty && hadItems { indentLine() }
        bytes.append(b)
    }

    private mutating func indentLine() {
        bytes.append(0x0A)
        for _ in 0..<(depth * 2) { bytes.append(0x20) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Whether the bytes need no escaping (no `"`, `\\` or control character): eight at a time,
    /// with the bit tricks for finding a byte in a word (a byte less than 0x20, or equal to one).
    @inline(__always)
    static func isPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = utf8.baseAddress else { return true }
        let n = utf8.count
        var i = 0
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= n {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let control = (x &- ones &* 0x20) & ~x & highs
            let q = x ^ (ones &* 0x22)
            let quote = (q &- ones) & ~q & highs
            let b = x ^ (ones &* 0x5C)
            let backslash = (b &- ones) & ~b & highs
            if control | quote | backslash != 0 { return false }
            i += 8
        }
        while i < n {
            let c = base[i]
            if c < 0x20 || c == 0x22 || c == 0x5C { return false }
            i += 1
        }
        return true
    }

    private mutating func writeString(_ s: String) {
        bytes.append(0x22)
        // Fast path: most strings need no escaping and are copied whole.
        var s = s
        let plain = s.withUTF8 { utf8 -> Bool in
            guard JSONWriter.isPlain(utf8) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain {
            bytes.append(0x22)
            return
        }
        for b in s.utf8 {
            switch b {
            case 0x22: bytes.append(0x5C); bytes.append(0x22)
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
            case 0x0D: bytes.append(0x5C); bytes.append(0x72)
            case 0x09: bytes.append(0x5C); bytes.append(0x74)
            case 0..<0x20:
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30])
                bytes.append(JSONWriter.hex[Int(b >> 4)])
                bytes.append(JSONWriter.hex[Int(b & 0xF)])
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }
}
