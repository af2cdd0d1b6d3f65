/// A value read from a snapshot or computed by a rule.
///
/// `absent` stands for a field that is missing, `null`, or (for lists) empty: "not recorded".
public enum Value: Equatable, Sendable {
    case absent
    case text(String)
    case number(Double)
    case bool(Bool)
    case date(LocalDate)
    // Not `indirect`: a list is already a view of values kept elsewhere (see `ValueList`).
    case list(ValueList)
    case record(RecordValue)

    /// `true` unless the value is absent or an empty list.
    public var isPresent: Bool {
        switch self {
        case .absent: return false
        case .list(let items): return !items.isEmpty
        default: return true
        }
    }

    /// Calls `body` with a list's items where they lie; nil, without calling it, for any other
    /// value. (Taking the list out of the value to go through it counted a reference to it.)
    @inline(__always) func withListItems<R>(_ body: (UnsafeBufferPointer<Value>) throws -> R) rethrows -> R? {
        guard case .list(let items) = self else { return nil }
        return try items.withUnsafeBufferPointer(body)
    }

    /// Whether the value holds a reference to something kept apart from it: text too long to be
    /// kept in the value itself (more than 15 bytes), or a list or record with storage of its own
    /// (see `ValueArena.holdsReferences`).
    @inline(__always) var holdsReference: Bool {
        switch self {
        case .text(let s): return s.utf8.count > 15
        case .list(let l): return l.owner != nil
        case .record(let r): return r.owner != nil
        default: return false
        }
    }

    /// For a record, its field in `slot`; otherwise `absent`.
    @inline(__always) func recordField(_ slot: Int) -> Value {
        guard case .record(let r) = self else { return .absent }
        return r.field(slot)
    }

    /// For a record, whether its field in `slot` is present; otherwise false.
    @inline(__always) func recordFieldIsPresent(_ slot: Int) -> Bool {
        guard case .record(let r) = self else { return false }
        return r.isPresent(slot)
    }
}

/// Values kept for a list's items or a record's fields made outside a reading's arena: the
/// values follow the object (one allocation), and go with it.
final class ValueStorage: ManagedBuffer<Int, Value> {
    deinit { _ = withUnsafeMutablePointers { count, values in values.deinitialize(count: count.pointee) } }

    /// Storage for `count` values, initialised by `fill` (given where they go).
    static func make(_ count: Int, _ fill: (UnsafeMutablePointer<Value>) -> Void) -> ValueStorage {
        let s = unsafeDowncast(ValueStorage.create(minimumCapacity: count) { _ in 0 }, to: ValueStorage.self)
        s.withUnsafeMutablePointers { n, values in
            fill(values)
            n.pointee = count
        }
        return s
    }

    /// Where the values are (they stay there for as long as the storage lives).
    var values: UnsafeMutablePointer<Value> { withUnsafeMutablePointerToElements { $0 } }
}

/// The items of a list: a view of values that either this list keeps (`owner`, made from an
/// array, or read by `SnapshotReader`'s public reading), or that the arena of a streaming run's
/// reading keeps while its snapshot is evaluated (`ValueArena`; no owner, nothing counted or
/// freed value by value).
public struct ValueList: RandomAccessCollection, Equatable, ExpressibleByArrayLiteral, @unchecked Sendable {
    fileprivate let owner: ValueStorage?
    fileprivate let base: UnsafePointer<Value>?
    private let length: UInt32

    /// A list of these values (kept by the list).
    public init(_ values: [Value]) {
        guard !values.isEmpty else {
            self.init(owner: nil, base: nil, count: 0)
            return
        }
        let storage = ValueStorage.make(values.count) { to in
            values.withUnsafeBufferPointer { to.initialize(from: $0.baseAddress!, count: $0.count) }
        }
        self.init(owner: storage, base: storage.values, count: values.count)
    }

    public init(arrayLiteral elements: Value...) { self.init(elements) }

    /// The `count` values at `base`, kept by `owner` (nil: by an arena, for as long as its
    /// snapshot is evaluated). The caller makes sure `count` fits in 32 bits.
    init(owner: ValueStorage?, base: UnsafePointer<Value>?, count: Int) {
        self.owner = owner
        self.base = base
        self.length = UInt32(truncatingIfNeeded: count)
    }

    public var startIndex: Int { 0 }
    @inline(__always) public var endIndex: Int { Int(length) }

    @inline(__always) public subscript(i: Int) -> Value {
        precondition(UInt(bitPattern: i) < UInt(length), "index out of range")
        return base.unsafelyUnwrapped[i]
    }

    /// Calls `body` with the items where they lie.
    @inline(__always) public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Value>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: Int(length)))
    }

    public static func == (a: ValueList, b: ValueList) -> Bool {
        guard a.length == b.length else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }
}

/// The fields of a JSON object, stored by slot number of its `RecordSchema`: a view of values
/// kept as a `ValueList`'s are (by the record, or by a reading's arena).
///
/// The records of one list read by the reader share one block of fields, each record a view of
/// its own fields there: reading and freeing a list of records then costs one allocation, not one
/// per record (none in an arena). Equality compares the fields only.
public struct RecordValue: Equatable, @unchecked Sendable {
    fileprivate let owner: ValueStorage?
    private let base: UnsafePointer<Value>?
    /// How many fields the record has.
    private let width: UInt32

    public init(fields: [Value]) {
        let list = ValueList(fields)
        self.init(owner: list.owner, base: list.base, count: fields.count)
    }

    /// The record whose `count` fields are at `base`, kept by `owner` (nil: by an arena; see
    /// `ValueList`). The caller makes sure `count` fits in 32 bits.
    init(owner: ValueStorage?, base: UnsafePointer<Value>?, count: Int) {
        self.owner = owner
        self.base = base
        self.width = UInt32(truncatingIfNeeded: count)
    }

    /// How many fields the record has.
    @inline(__always) public var count: Int { Int(width) }

    /// The fields in slot order.
    public var fields: [Value] { Array(UnsafeBufferPointer(start: base, count: count)) }

    @inline(__always) public subscript(slot: Int) -> Value {
        precondition(UInt(bitPattern: slot) < UInt(width), "slot out of range")
        return base.unsafelyUnwrapped[slot]
    }

    /// The field in `slot`, or `absent` past the record's fields.
    @inline(__always) func field(_ slot: Int) -> Value { slot < count ? self[slot] : .absent }

    /// The field in `second` of the record in field `first` (`absent` where either is missing),
    /// looked up where the inner record lies.
    @inline(__always) func field(_ first: Int, _ second: Int) -> Value {
        guard UInt(bitPattern: first) < UInt(width) else { return .absent }
        return base.unsafelyUnwrapped[first].recordField(second)
    }

    /// Whether the field in `slot` holds a record, looked at where it lies.
    @inline(__always) func holdsRecord(_ slot: Int) -> Bool {
        guard UInt(bitPattern: slot) < UInt(width) else { return false }
        if case .record = base.unsafelyUnwrapped[slot] { return true }
        return false
    }

    /// Whether the field in `slot` is present (see `Value.isPresent`), looked at where it lies.
    @inline(__always) func isPresent(_ slot: Int) -> Bool {
        guard UInt(bitPattern: slot) < UInt(width) else { return false }
        return base.unsafelyUnwrapped[slot].isPresent
    }

    /// Whether field `second` of the record in field `first` is present, looked at where it lies.
    @inline(__always) func isPresent(_ first: Int, _ second: Int) -> Bool {
        guard UInt(bitPattern: first) < UInt(width) else { return false }
        return base.unsafelyUnwrapped[first].recordFieldIsPresent(second)
    }

    /// Whether `other` is this very record: the same fields in the same place (not compared).
    func isSame(_ other: RecordValue) -> Bool { base == other.base && width == other.width }

    public static func == (a: RecordValue, b: RecordValue) -> Bool {
        guard a.width == b.width else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }
}

extension ValueList: CustomStringConvertible, CustomDebugStringConvertible {
    /// The items, as an array's are written (where they are kept does not show).
    public var description: String { Array(self).description }
    public var debugDescription: String { Array(self).debugDescription }
}

extension RecordValue: CustomStringConvertible, CustomDebugStringConvertible {
    /// The fields in slot order, as an array's are written.
    public var description: String { "record" + fields.description }
    public var debugDescription: String { "record" + fields.debugDescription }
}
