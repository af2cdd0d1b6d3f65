/// Where a value came from in the snapshot (`case.visits[3].date`), made without allocating for
/// the common shapes: a shared chain of nodes for the fixed part (`case.visits`), then, held by
/// value, an optional list position and a field of the item there. Deeper paths fall back to
/// nodes. The text is only made when it is printed.
struct ValuePath {
    let node: PathNode
    /// The position in the list at `node`, or -1.
    let index: Int
    /// A field of the item at `index`, or nil.
    let field: String?

    init(_ node: PathNode, index: Int = -1, field: String? = nil) {
        self.node = node
        self.index = index
        self.field = field
    }

    static var root: ValuePath { ValuePath(PathNode.root) }

    func child(_ name: String) -> ValuePath {
        if index < 0 { return ValuePath(node.child(name)) }
        if field == nil { return ValuePath(node, index: index, field: name) }
        return ValuePath(materialised.child(name))
    }

    func element(_ i: Int) -> ValuePath {
        if index < 0 { return ValuePath(node, index: i) }
        return ValuePath(materialised, index: i)
    }

    /// The same path as a chain of nodes.
    var materialised: PathNode {
        guard index >= 0 else { return node }
        let item = node.element(index)
        return field.map { item.child($0) } ?? item
    }

    /// The path of every item of the list this item is in: each list position past the first
    /// `start` bytes of the path (where the list starts) written `[*]`. With `start` at `case`:
    /// `case.visits[3].date` → `case.visits[*].date`, `case.cp_plans[0].reviews[2]` →
    /// `case.cp_plans[*].reviews[*]`; with `start` past `case.cp_plans[0]` (a `for each` item),
    /// `case.cp_plans[0].reviews[*]`.
    func everyItemText(after start: Int) -> String {
        var out: [UInt8] = []
        var inIndex = false
        for (i, b) in text.utf8.enumerated() {
            if inIndex {
                if b == 0x5D {
                    out += [0x2A, 0x5D]
                    inIndex = false
                }
                continue
            }
            out.append(b)
            if b == 0x5B, i >= start { inIndex = true }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// (Made from its bytes written in room on the stack, as `textWithinCase` is.)
    var text: String { withTextBytes { String(decoding: $0, as: UTF8.self) } }

    /// `text` without a leading `case.`: how a finding names the item of a `for each` over a list
    /// of the case (`cp_plans[0]`), made without making the whole text first.
    var textWithinCase: String { withTextBytes { ValuePath.withoutCase($0) } }

    /// Calls `body` with the UTF-8 of `text`, written in room on the stack (a text is then made
    /// from it without an array of its own; a short one without allocating at all). A path
    /// longer than the room is written into room twice as large, and so on (a write fails only
    /// for want of room).
    private func withTextBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var room = 96
        while true {
            let made: R? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { b in
                guard let p = b.baseAddress, let n = write(to: p, room: room) else { return nil }
                return body(UnsafeBufferPointer(start: p, count: n))
            }
            if let made { return made }
            room *= 2
        }
    }

    /// Writes `text` at `p`, which has room for `room` bytes; how many bytes it wrote, or nil
    /// when they would not fit.
    private func write(to p: UnsafeMutablePointer<UInt8>, room: Int) -> Int? {
        guard var n = node.write(to: p, room: room) else { return nil }
        if index >= 0 {
            guard let m = PathNode.write(index: index, to: p, at: n, room: room) else { return nil }
            n = m
        }
        guard let field else { return n }
        return PathNode.write(field: field, to: p, at: n, room: room)
    }

    /// The text of `bytes` without a leading `case.`.
    private static func withoutCase(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.count > 5, bytes[0] == 0x63, bytes[1] == 0x61, bytes[2] == 0x73, bytes[3] == 0x65, bytes[4] == 0x2E else {
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[5...]), as: UTF8.self)
    }
}

/// One step of a path held as a chain (see `ValuePath`).
final class PathNode: Sendable {
    let parent: PathNode?
    let field: String?
    let index: Int

    init(parent: PathNode?, field: String?, index: Int = -1) {
        self.parent = parent
        self.field = field
        self.index = index
    }

    static let root = PathNode(parent: nil, field: "case")

    func child(_ name: String) -> PathNode { PathNode(parent: self, field: name) }
    func element(_ i: Int) -> PathNode { PathNode(parent: self, field: nil, index: i) }

    /// Writes this path's text at `p`, which has room for `room` bytes; how many bytes it wrote,
    /// or nil when they would not fit.
    func write(to p: UnsafeMutablePointer<UInt8>, room: Int) -> Int? {
        guard let parent else {
            if let field { return PathNode.write(field, to: p, at: 0, room: room) }
            return PathNode.write(index: index, to: p, at: 0, room: room)
        }
        guard let n = parent.write(to: p, room: room) else { return nil }
        if let field { return PathNode.write(field: field, to: p, at: n, room: room) }
        return PathNode.write(index: index, to: p, at: n, room: room)
    }

    /// Writes `.field` at `p + at` (room for `room` bytes from `p`); where it ends, or nil when
    /// it would not fit.
    static func write(field: String, to p: UnsafeMutablePointer<UInt8>, at: Int, room: Int) -> Int? {
        guard at + 1 <= room else { return nil }
        p[at] = 0x2E
        return write(field, to: p, at: at + 1, room: room)
    }

    /// Writes `[index]` at `p + at` (room for `room` bytes from `p`); where it ends, or nil when
    /// it would not fit.
    static func write(index: Int, to p: UnsafeMutablePointer<UInt8>, at: Int, room: Int) -> Int? {
        let length = indexLength(index)
        guard at + length <= room else { return nil }
        writeIndex(index, length: length, to: p + at)
        return at + length
    }

    /// Writes `s`'s UTF-8 at `p + at` (room for `room` bytes from `p`); where it ends, or nil
    /// when it would not fit.
    /// (Read where they lie: a copy of the string, to make it contiguous, counted a reference to it.)
    static func write(_ s: String, to p: UnsafeMutablePointer<UInt8>, at: Int, room: Int) -> Int? {
        func copy(_ u: UnsafeBufferPointer<UInt8>) -> Int? {
            guard at + u.count <= room else { return nil }
            if let from = u.baseAddress { (p + at).update(from: from, count: u.count) }
            return at + u.count
        }
        if let written = s.utf8.withContiguousStorageIfAvailable(copy) { return written }
        var contiguous = s
        return contiguous.withUTF8(copy)
    }

    /// The length of `[i]` (i ≥ 0) in bytes.
    @inline(__always) static func indexLength(_ i: Int) -> Int {
        var digits = 1
        var n = i
        while n >= 10 {
            n /= 10
            digits += 1
        }
        return digits + 2
    }

    /// Writes `[i]` (i ≥ 0), `length` bytes (`indexLength(i)`), at `b`.
    @inline(__always) static func writeIndex(_ i: Int, length: Int, to b: UnsafeMutablePointer<UInt8>) {
        b[0] = 0x5B
        var n = i
        for k in stride(from: length - 2, to: 0, by: -1) {
            b[k] = UInt8(truncatingIfNeeded: 0x30 + n % 10)
            n /= 10
        }
        b[length - 1] = 0x5D
    }
}
