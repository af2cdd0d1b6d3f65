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
}

/// The fields of a JSON object, stored by slot number of its `RecordSchema`.
public struct RecordValue: Equatable, Sendable {
    public var fields: [Value]
    public init(fields: [Value]) { self.fields = fields }
    public subscript(slot: Int) -> Value { fields[slot] }
}
