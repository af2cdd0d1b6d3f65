/// A value read from a snapshot or computed by a rule.
///
/// `absent` stands for a field that is missing, `null`, or (for lists) empty: "not recorded".
public enum Value: Equatable, Sendable {
    case absent
    case text(String)
    case number(Double)
    case bool(Bool)
    case date(LocalDate)
    // Not `indirect`: an array is already a reference, so a box around it would only add an
    // allocation per list and per record.
    case list([Value])
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

/// The fields of a JSON object, stored by slot number of its `RecordSchema`.
///
/// The records of one list share one buffer (the reader reads a list of records into it, field
/// after field), and each record is a view of its own fields there: reading and freeing a list
/// of records then costs one allocation, not one per record. Equality compares the fields only.
public struct RecordValue: Equatable, Sendable {
    /// This record's fields, from `base`, among its siblings' in the same list.
    private let storage: [Value]
    private let base: UInt32
    /// How many fields the record has.
    private let width: UInt32

    public init(fields: [Value]) {
        self.init(storage: fields, base: 0, count: fields.count)
    }

    /// The record whose `count` fields start at `base` in `storage` (the caller makes sure both
    /// fit in 32 bits and in `storage`).
    init(storage: [Value], base: Int, count: Int) {
        self.storage = storage
        self.base = UInt32(truncatingIfNeeded: base)
        self.width = UInt32(truncatingIfNeeded: count)
    }

    /// How many fields the record has.
    @inline(__always) public var count: Int { Int(width) }

    /// The fields in slot order.
    public var fields: [Value] { Array(storage[Int(base)..<Int(base) + Int(width)]) }

    @inline(__always) public subscript(slot: Int) -> Value { storage[Int(base) + slot] }

    /// The field in `slot`, or `absent` past the record's fields.
    @inline(__always) func field(_ slot: Int) -> Value { slot < count ? self[slot] : .absent }

    /// The field in `second` of the record in field `first` (`absent` where either is missing),
    /// looked up where the inner record lies: copying it out first counted a reference to it.
    @inline(__always) func field(_ first: Int, _ second: Int) -> Value {
        guard first < count else { return .absent }
        return storage.withUnsafeBufferPointer { $0[Int(base) + first].recordField(second) }
    }

    /// Whether the field in `slot` holds a record, looked at where it lies.
    @inline(__always) func holdsRecord(_ slot: Int) -> Bool {
        guard slot < count else { return false }
        return storage.withUnsafeBufferPointer {
            if case .record = $0[Int(base) + slot] { return true }
            return false
        }
    }

    /// Whether the field in `slot` is present (see `Value.isPresent`), looked at where it lies.
    @inline(__always) func isPresent(_ slot: Int) -> Bool {
        guard slot < count else { return false }
        return storage.withUnsafeBufferPointer { $0[Int(base) + slot].isPresent }
    }

    /// Whether field `second` of the record in field `first` is present, looked at where it lies.
    @inline(__always) func isPresent(_ first: Int, _ second: Int) -> Bool {
        guard first < count else { return false }
        return storage.withUnsafeBufferPointer { $0[Int(base) + first].recordFieldIsPresent(second) }
    }

    /// Whether `other` is this very record: the same fields of the same buffer (not compared).
    func isSame(_ other: RecordValue) -> Bool {
        base == other.base && width == other.width
            && storage.withUnsafeBufferPointer { a in other.storage.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
    }

    public static func == (a: RecordValue, b: RecordValue) -> Bool {
        guard a.width == b.width else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }
}
