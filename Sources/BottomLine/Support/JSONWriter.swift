/// A small, allocation-light writer of JSON text with keys in the order they are written,
/// so that output is byte-identical for the same input. Not copyable: a writer owns its buffer
/// alone, so writing never checks whether the buffer is shared (it is written field by field,
/// some forty times a finding).
public struct JSONWriter: ~Copyable {
    private var out: ByteBuffer
    /// Bit `d`: the value being written at depth `d` already has an item, so the next needs a
    /// comma. (The writer only writes BottomLine's own shapes, nested a few levels deep; levels
    /// past 63 share the last bit.)
    private var needsComma: UInt64 = 0
    private let pretty: Bool
    private var depth = 0
    /// The month table, taken once for the dates written (see `LocalDate.writeQuotedISO(to:months:)`).
    let months = MonthTable.shared

    /// `pretty` indents with two spaces; otherwise the output is one line. `capacity`: the bytes
    /// to make room for at once (the output grows past it as needed).
    public init(pretty: Bool = false, capacity: Int = 1024) {
        self.pretty = pretty
        out = ByteBuffer(capacity: capacity)
    }

    /// The JSON text written so far.
    public var bytes: [UInt8] { out.array }
    /// Calls `body` with the JSON text written so far, where it lies.
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R { try out.withBytes(body) }
    /// The buffer written, handed over whole (the writer is done with it): a batch's output,
    /// passed to the thread that writes it without being copied into an array.
    var output: ByteBuffer { out }
    public var string: String { String(decoding: UnsafeBufferPointer(start: out.base, count: out.count), as: UTF8.self) }

    public mutating func beginObject() { valuePrefix(); open(0x7B) }
    public mutating func endObject() { close(0x7D) }
    public mutating func beginArray() { valuePrefix(); open(0x5B) }
    public mutating func endArray() { close(0x5D) }

    /// Writes a key known when the program is written (plain ASCII, nothing to escape); the
    /// next call writes its value. Keys are most of what a writer writes, so they are copied
    /// whole, without looking at them.
    @inline(__always)
    public mutating func key(_ k: StaticString) {
        valuePrefix()
        writeKey(k)
        pendingKey = true
    }

    /// `"k":` (and a space when pretty), for `key(_:)` and `field(_:_:)`.
    @inline(__always) private mutating func writeKey(_ k: StaticString) {
        let bytes = UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount)
        assert(JSONWriter.isPlain(bytes))
        out.appendQuoted(bytes, colon: true)
        if pretty { out.append(0x20) }
    }

    /// Writes a key made at run time (a rule's name), escaped as needed; the next call writes
    /// its value.
    public mutating func key(escaping k: String) {
        valuePrefix()
        writeString(k)
        out.append(0x3A)
        if pretty { out.append(0x20) }
        pendingKey = true
    }

    @inline(__always)
    public mutating func string(_ s: String) { valuePrefix(); writeString(s) }
    public mutating func int(_ n: Int) { valuePrefix(); out.append(decimal: n) }
    public mutating func bool(_ b: Bool) { valuePrefix(); out.append(b ? "true" as StaticString : "false") }
    public mutating func null() { valuePrefix(); out.append("null" as StaticString) }
    public mutating func number(_ d: Double) {
        valuePrefix()
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 {
            out.append(decimal: Int(d))
        } else if d.isFinite {
            out.append(String(d))
        } else {
            out.append("null" as StaticString)
        }
    }

    /// A date as a JSON string, `"YYYY-MM-DD"`, written in place.
    public mutating func date(_ d: LocalDate) {
        valuePrefix()
        writeDate(d)
    }

    private mutating func writeDate(_ d: LocalDate) {
        out.append(atMost: LocalDate.quotedISOBound) { d.writeQuotedISO(to: $0, months: months) }
    }

    /// Writes fields rendered beforehand by a compact writer (`"k":v,"k":v`, as `renderedFields`
    /// gives them) into the object being written, or a value into the array being written: for
    /// fields or values that are the same in many objects or arrays.
    public mutating func fields(rendered bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { fields(rendered: $0) }
    }

    /// As `fields(rendered:)`, for bytes lent.
    public mutating func fields(rendered bytes: UnsafeBufferPointer<UInt8>) {
        precondition(!pretty, "fields rendered beforehand are compact")
        guard !bytes.isEmpty else { return }
        valuePrefix()
        out.append(bytes)
    }

    /// Writes fields into the object being written (compact writers only), in one piece: at most
    /// `bound` bytes, which `write` puts in place (`"k":v,"k":v`, as `fields(rendered:)` takes
    /// them; its second argument is the month table, for dates) and counts. For the fields of an
    /// object that are many and short, with one check of the buffer's room for all of them.
    mutating func fields(atMost bound: Int, _ write: (UnsafeMutablePointer<UInt8>, MonthTable) -> Int) {
        precondition(!pretty, "fields written in one piece are compact")
        valuePrefix()
        let months = months
        out.append(atMost: bound) { write($0, months) }
    }

    /// Writes a value rendered beforehand around a date (compact writers only): `open`, the date
    /// quoted, then `close`; with one check of the buffer's room. For a workings step that reads
    /// the same in many findings but for its date.
    mutating func value(open: UnsafeBufferPointer<UInt8>, date: LocalDate, close: UnsafeBufferPointer<UInt8>) {
        precondition(!pretty, "values rendered beforehand are compact")
        valuePrefix()
        out.append(atMost: open.count + LocalDate.quotedISOBound + close.count) { p in
            var at = JSONWriter.copy(open, to: p)
            at += date.writeQuotedISO(to: p + at, months: months)
            return at + JSONWriter.copy(close, to: p + at)
        }
    }

    /// As `value(open:date:close:)`, closed by a path given by its parts (see
    /// `EventPath.writeQuoted`): `open`, the date quoted, `,"from":`, the path quoted, `}`.
    mutating func value(open: UnsafeBufferPointer<UInt8>, date: LocalDate, fromList list: UnsafeBufferPointer<UInt8>,
        index: Int, field: UnsafeBufferPointer<UInt8>)
    {
        precondition(!pretty, "values rendered beforehand are compact")
        valuePrefix()
        let from: StaticString = #","from":"#
        let bound = open.count + LocalDate.quotedISOBound + from.utf8CodeUnitCount
            + EventPath.quotedBound(list: list.count, field: field.count) + 1
        out.append(atMost: bound) { p in
            var at = JSONWriter.copy(open, to: p)
            at += date.writeQuotedISO(to: p + at, months: months)
            at += JSONWriter.copy(UnsafeBufferPointer(start: from.utf8Start, count: from.utf8CodeUnitCount), to: p + at)
            at += EventPath.writeQuoted(list, index, field, to: p + at)
            p[at] = 0x7D
            return at + 1
        }
    }

    /// Copies `bytes` to `p`; returns how many.
    @inline(__always) static func copy(_ bytes: UnsafeBufferPointer<UInt8>, to p: UnsafeMutablePointer<UInt8>) -> Int {
        guard let b = bytes.baseAddress else { return 0 }
        p.update(from: b, count: bytes.count)
        return bytes.count
    }

    /// Fields written by `write` into an object of their own, rendered for `fields(rendered:)`.
    public static func renderedFields(_ write: (inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        write(&w)
        w.endObject()
        return Array(w.bytes.dropFirst().dropLast())
    }

    /// Convenience: `"key": "value"` (the commonest field: written in one step).
    public mutating func field(_ k: StaticString, _ v: String) {
        valuePrefix()
        writeKey(k)
        writeString(v)
    }
    /// `"key": "value"` for a value known when the program is written (plain ASCII, nothing to
    /// escape), copied whole as keys are.
    public mutating func field(_ k: StaticString, plain v: StaticString) {
        valuePrefix()
        writeKey(k)
        let bytes = UnsafeBufferPointer(start: v.utf8Start, count: v.utf8CodeUnitCount)
        assert(JSONWriter.isPlain(bytes))
        out.appendQuoted(bytes)
    }
    public mutating func field(_ k: StaticString, _ v: Int) { key(k); int(v) }
    public mutating func field(_ k: StaticString, _ v: Bool) { key(k); bool(v) }
    public mutating func field(_ k: StaticString, _ v: LocalDate) { key(k); date(v) }
    /// Writes the field only when `v` is not nil.
    public mutating func optionalField(_ k: StaticString, _ v: String?) { if let v { field(k, v) } }
    public mutating func optionalField(_ k: StaticString, _ v: LocalDate?) { if let v { field(k, v) } }

    /// An object of three or four fields, each a string but the second (a string or a date):
    /// `{"k1":"v1","k2":"v2","k3":"v3","k4":"v4"}`, the fourth left out when nil. Compact, it
    /// is written in one piece, without the bookkeeping of an object opened, filled field by
    /// field and closed (a finding's workings are a list of such objects, some eight a snapshot);
    /// pretty, field by field.
    public mutating func object(_ k1: StaticString, _ v1: String, _ k2: StaticString, _ v2: String,
        _ k3: StaticString, _ v3: String, _ k4: StaticString, _ v4: String?)
    {
        object(k1, v1, k2, bound2: JSONWriter.quotedBound(v2), { JSONWriter.writeQuoted(v2, to: $0) }, { v2 },
            k3, bound3: JSONWriter.quotedBound(v3), { JSONWriter.writeQuoted(v3, to: $0) }, { v3 }, k4, v4)
    }

    /// As `object(_:_:_:_:_:_:_:_:)`, the second value a date.
    public mutating func object(_ k1: StaticString, _ v1: String, _ k2: StaticString, _ v2: LocalDate,
        _ k3: StaticString, _ v3: String, _ k4: StaticString, _ v4: String?)
    {
        let months = months
        object(k1, v1, k2, bound2: LocalDate.quotedISOBound, { v2.writeQuotedISO(to: $0, months: months) }, { v2.description },
            k3, bound3: JSONWriter.quotedBound(v3), { JSONWriter.writeQuoted(v3, to: $0) }, { v3 }, k4, v4)
    }

    /// As `object(_:_:_:_:_:_:_:_:)`, the second value a date, and the third a string that
    /// `write3` writes in place (quoted and escaped, at most `bound3` bytes, returning how many)
    /// and `text3` gives as text (for pretty output): a string made of parts, never made whole.
    mutating func object(_ k1: StaticString, _ v1: String, _ k2: StaticString, _ v2: LocalDate,
        _ k3: StaticString, bound3: Int, _ write3: (UnsafeMutablePointer<UInt8>) -> Int, text3: () -> String,
        _ k4: StaticString, _ v4: String?)
    {
        let months = months
        object(k1, v1, k2, bound2: LocalDate.quotedISOBound, { v2.writeQuotedISO(to: $0, months: months) }, { v2.description },
            k3, bound3: bound3, write3, text3, k4, v4)
    }

    /// As `object(_:_:_:_:_:bound3:_:text3:_:_:)`, the fourth value also a string that `write4`
    /// writes in place (at most `bound4` bytes) and `text4` gives as text.
    mutating func object(_ k1: StaticString, _ v1: String, _ k2: StaticString, _ v2: LocalDate,
        _ k3: StaticString, bound3: Int, _ write3: (UnsafeMutablePointer<UInt8>) -> Int, text3: () -> String,
        _ k4: StaticString, bound4: Int, _ write4: (UnsafeMutablePointer<UInt8>) -> Int, text4: () -> String)
    {
        let months = months
        object(k1, v1, k2, bound2: LocalDate.quotedISOBound, { v2.writeQuotedISO(to: $0, months: months) }, { v2.description },
            k3, bound3: bound3, write3, text3, k4, bound4: bound4, write4, text4)
    }

    /// An object of a number and a string known when the program is written (plain ASCII,
    /// nothing to escape, copied whole as keys are), `{"k1":1,"k2":"v2"}` (how late, and in what
    /// unit): compact, written in one piece; pretty, field by field.
    public mutating func object(_ k1: StaticString, _ v1: Int, _ k2: StaticString, plain v2: StaticString) {
        guard !pretty else {
            beginObject()
            field(k1, v1)
            field(k2, plain: v2)
            endObject()
            return
        }
        valuePrefix()
        out.append(atMost: JSONWriter.objectBound(k1, k2, plain: v2)) { JSONWriter.writeObject(k1, v1, k2, plain: v2, to: $0) }
    }

    /// The most bytes `writeObject(_:_:_:plain:to:)` writes for these keys and value.
    @inline(__always) static func objectBound(_ k1: StaticString, _ k2: StaticString, plain v2: StaticString) -> Int {
        k1.utf8CodeUnitCount + k2.utf8CodeUnitCount + v2.utf8CodeUnitCount + ByteBuffer.decimalBound + 11
    }

    /// Writes `{"k1":1,"k2":"v2"}` (compact; `v2` plain ASCII, nothing to escape) at `p`, which has
    /// room for `objectBound`; returns how many bytes it wrote.
    @inline(__always) static func writeObject(_ k1: StaticString, _ v1: Int, _ k2: StaticString, plain v2: StaticString,
        to p: UnsafeMutablePointer<UInt8>) -> Int
    {
        p[0] = 0x7B
        var at = 1 + writeKey(k1, to: p + 1)
        at += ByteBuffer.writeDecimal(v1, to: p + at)
        at += writeNextKey(k2, to: p + at)
        at += writeQuoted(plain: v2, to: p + at)
        p[at] = 0x7D
        return at + 1
    }

    /// Writes `s` (plain ASCII, nothing to escape) quoted at `p`, which has room for its bytes and
    /// two; returns how many bytes it wrote.
    @inline(__always) static func writeQuoted(plain s: StaticString, to p: UnsafeMutablePointer<UInt8>) -> Int {
        let n = s.utf8CodeUnitCount
        assert(JSONWriter.isPlain(UnsafeBufferPointer(start: s.utf8Start, count: n)))
        p[0] = 0x22
        (p + 1).update(from: s.utf8Start, count: n)
        p[n + 1] = 0x22
        return n + 2
    }

    /// As the general `object` below, the fourth value a string, or left out when nil.
    @inline(__always)
    private mutating func object(_ k1: StaticString, _ v1: String, _ k2: StaticString, bound2: Int,
        _ write2: (UnsafeMutablePointer<UInt8>) -> Int, _ text2: () -> String,
        _ k3: StaticString, bound3: Int, _ write3: (UnsafeMutablePointer<UInt8>) -> Int, _ text3: () -> String,
        _ k4: StaticString, _ v4: String?)
    {
        object(k1, v1, k2, bound2: bound2, write2, text2, k3, bound3: bound3, write3, text3,
            k4, bound4: v4.map(JSONWriter.quotedBound), { JSONWriter.writeQuoted(v4 ?? "", to: $0) }, { v4 ?? "" })
    }

    /// Compact: the object written in one piece, with one check of the buffer's room for all of
    /// it (at most `bound2`, `bound3` and `bound4` bytes for the second to fourth values, which
    /// `write2` to `write4` write in place and count; the fourth left out when `bound4` is nil).
    /// Pretty: field by field (`text2` to `text4` give the values as text).
    @inline(__always)
    private mutating func object(_ k1: StaticString, _ v1: String, _ k2: StaticString, bound2: Int,
        _ write2: (UnsafeMutablePointer<UInt8>) -> Int, _ text2: () -> String,
        _ k3: StaticString, bound3: Int, _ write3: (UnsafeMutablePointer<UInt8>) -> Int, _ text3: () -> String,
        _ k4: StaticString, bound4: Int?, _ write4: (UnsafeMutablePointer<UInt8>) -> Int, _ text4: () -> String)
    {
        guard !pretty else {
            beginObject()
            field(k1, v1)
            field(k2, text2())
            field(k3, text3())
            if bound4 != nil { field(k4, text4()) }
            endObject()
            return
        }
        valuePrefix()
        // Each key quoted with its colon, a comma before each but the first, and the braces.
        var bound = k1.utf8CodeUnitCount + k2.utf8CodeUnitCount + k3.utf8CodeUnitCount + k4.utf8CodeUnitCount + 4 * 4 + 2
        bound += JSONWriter.quotedBound(v1) + bound2 + bound3
        if let bound4 { bound += bound4 }
        out.append(atMost: bound) { p in
            p[0] = 0x7B
            var at = 1
            at += JSONWriter.writeKey(k1, to: p + at)
            at += JSONWriter.writeQuoted(v1, to: p + at)
            at += JSONWriter.writeNextKey(k2, to: p + at)
            at += write2(p + at)
            at += JSONWriter.writeNextKey(k3, to: p + at)
            at += write3(p + at)
            if bound4 != nil {
                at += JSONWriter.writeNextKey(k4, to: p + at)
                at += write4(p + at)
            }
            p[at] = 0x7D
            return at + 1
        }
    }

    /// Writes `,"k":` (compact: a field after another) at `p`; returns how many bytes (the key's and four).
    @inline(__always) static func writeNextKey(_ k: StaticString, to p: UnsafeMutablePointer<UInt8>) -> Int {
        p[0] = 0x2C
        return 1 + writeKey(k, to: p + 1)
    }

    /// Writes `"k":` (compact) at `p`; returns how many bytes (the key's and three).
    @inline(__always) static func writeKey(_ k: StaticString, to p: UnsafeMutablePointer<UInt8>) -> Int {
        let n = k.utf8CodeUnitCount
        assert(JSONWriter.isPlain(UnsafeBufferPointer(start: k.utf8Start, count: n)))
        p[0] = 0x22
        if n <= 16 {
            ByteBuffer.copyShort(UnsafeRawPointer(k.utf8Start), to: UnsafeMutableRawPointer(p + 1), count: n)
        } else {
            (p + 1).update(from: k.utf8Start, count: n)
        }
        p[n + 1] = 0x22
        p[n + 2] = 0x3A
        return n + 3
    }

    /// The most bytes `writeQuoted(_:to:)` writes for `s`.
    @inline(__always) static func quotedBound(_ s: String) -> Int { ByteBuffer.quotedBound(s.utf8.count) }

    /// Writes `s` as a JSON string at `p` (quoted, escaped as needed), which has room for
    /// `quotedBound(s)`; returns how many bytes it wrote.
    @inline(__always) static func writeQuoted(_ s: String, to p: UnsafeMutablePointer<UInt8>) -> Int {
        if let n = s.utf8.withContiguousStorageIfAvailable({ ByteBuffer.writeQuoted($0, to: p) }) { return n }
        var s = s
        return s.withUTF8 { ByteBuffer.writeQuoted($0, to: p) }
    }

    /// Ends a top-level value with a newline (for NDJSON): the next value starts a new line,
    /// with no comma.
    public mutating func newline() {
        out.append(0x0A)
        if depth == 0 { needsComma &= ~1 }
    }

    private var pendingKey = false

    @inline(__always)
    private mutating func valuePrefix() {
        if pendingKey {
            pendingKey = false
            return
        }
        let bit: UInt64 = 1 << UInt64(min(depth, 63))
        if needsComma & bit != 0 { out.append(0x2C) }
        if depth > 0 && pretty { indentLine() }
        needsComma |= bit
    }

    @inline(__always)
    private mutating func open(_ b: UInt8) {
        out.append(b)
        depth += 1
        needsComma &= ~(1 << UInt64(min(depth, 63)))
    }

    @inline(__always)
    private mutating func close(_ b: UInt8) {
        let hadItems = needsComma & (1 << UInt64(min(depth, 63))) != 0
        needsComma &= ~(1 << UInt64(min(depth, 63)))
        depth -= 1
        if pretty && hadItems { indentLine() }
        out.append(b)
    }

    private mutating func indentLine() {
        out.append(0x0A)
        for _ in 0..<(depth * 2) { out.append(0x20) }
    }

    /// Whether the bytes need no escaping (no `"`, `\\` or control character): the definition.
    static func isPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        !utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
    }

    /// `s` quoted and escaped: copied whole, eight bytes at a time, when nothing needs escaping
    /// (read in place, where the string's bytes are contiguous, which they are for every string
    /// BottomLine makes).
    private mutating func writeString(_ s: String) {
        out.append(atMost: JSONWriter.quotedBound(s)) { JSONWriter.writeQuoted(s, to: $0) }
    }
}
