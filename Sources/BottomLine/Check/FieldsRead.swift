/// Which fields of the snapshot a checked program reads: every field that some expression of
/// some rule takes (`case.referral.date`, `visit.seen_alone`, `case.visits.date`), by the record
/// schema it belongs to and its slot there.
///
/// The streaming reader uses it to skip building the text of fields no rule reads (a visit's
/// practitioner, in the shipped rules): their type is still checked, so bad input is still
/// rejected, but no string is made or freed for them.
///
/// Conservative by construction: records with the same fields count as one schema, so a field
/// read in one of them counts as read in all.
struct FieldsRead: Sendable {
    /// By schema: the slots read.
    private var reads: [(schema: RecordSchema, slots: Set<Int>)] = []
    /// A field was read from a record whose schema could not be told: every field counts as read.
    private var all = false

    /// The fields `program` reads, and its case id (always read: findings name the case by it).
    init(_ program: CheckedProgram) {
        if let id = program.schema.slot(of: program.idField) { insert(program.schema, id) }
        for rule in program.rules { add(rule) }
    }

    /// Whether field `slot` of records of `schema` is read.
    func contains(_ schema: RecordSchema, _ slot: Int) -> Bool {
        all || reads.contains { $0.schema == schema && $0.slots.contains(slot) }
    }

    private mutating func insert(_ schema: RecordSchema, _ slot: Int) {
        if let i = reads.firstIndex(where: { $0.schema == schema }) {
            reads[i].slots.insert(slot)
        } else {
            reads.append((schema, [slot]))
        }
    }

    private mutating func add(_ rule: CheckedRule) {
        if let forEach = rule.forEach { add(forEach.list) }
        for e in rule.judgedParts { add(e) }
    }

    private mutating func add(_ e: CompiledExpression) {
        switch e.kind {
        case .field(let base, let slot, _):
            if case .record(let schema) = base.type { insert(schema, slot) } else { all = true }
        case .project(let base, let slot, _):
            if case .list(.record(let schema)) = base.type { insert(schema, slot) } else { all = true }
        default:
            break
        }
        for part in e.parts { add(part) }
    }
}
