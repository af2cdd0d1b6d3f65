/// The type of a snapshot field, as declared by a `schema` in a rule file.
public indirect enum SchemaType: Equatable, Sendable, CustomStringConvertible {
    case text
    case number
    case bool
    case date
    case list(SchemaType)
    case record(RecordSchema)

    /// How the type is written in a rule file (`list of date`, `{ id: text, … }`).
    public var description: String {
        switch self {
        case .text: return "text"
        case .number: return "number"
        case .bool: return "bool"
        case .date: return "date"
        case .list(let t): return "list of \(t)"
        case .record: return "record"
        }
    }
}

/// One field of a record schema: its name, type, whether it may be absent, and an optional
/// label that the workings out use in place of the field name.
public struct FieldSchema: Equatable, Sendable {
    public let name: String
    public let type: SchemaType
    /// `true` when declared with `?`: the field may be absent or null. A required field that is
    /// absent makes the snapshot an input error. Lists are always optional (absent = empty).
    public let optional: Bool
    public let label: String?

    public init(name: String, type: SchemaType, optional: Bool, label: String? = nil) {
        self.name = name
        self.type = type
        self.optional = optional
        self.label = label
    }
}

/// The shape of a JSON object: fields in declaration order, each with a slot number.
/// A `RecordValue` read against this schema stores field `i` in slot `i`.
public struct RecordSchema: Equatable, Sendable {
    public let fields: [FieldSchema]
    private let slots: [String: Int]

    public init(fields: [FieldSchema]) {
        self.fields = fields
        var slots: [String: Int] = [:]
        for (i, f) in fields.enumerated() where slots[f.name] == nil { slots[f.name] = i }
        self.slots = slots
    }

    /// The slot of a field, or `nil` if the schema has no such field.
    public func slot(of name: String) -> Int? { slots[name] }

    public static func == (a: RecordSchema, b: RecordSchema) -> Bool { a.fields == b.fields }
}
