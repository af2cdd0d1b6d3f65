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
        if let applies = rule.appliesWhen { add(applies) }
        switch rule.form {
        case .schedule(let s):
            add(s.from)
            add(s.events)
            if let until = s.until { add(until) }
            if let alt = s.alternative {
                if let d = alt.afterDate { add(d) }
                if let w = alt.when { add(w) }
            }
        case .population(let p):
            add(p.key)
            add(p.requirement)
            for a in p.aggregates { add(a.selection) }
        case .deadline(let due, let done, _):
            add(due)
            add(done)
        case .condition(let e):
            add(e)
        }
    }

    private mutating func add(_ s: CompiledSelection) {
        add(s.list)
        if let c = s.condition { add(c) }
    }

    private mutating func add(_ e: CompiledExpression) {
        switch e.kind {
        case .constant, .duration, .root, .local, .param:
            break
        case .field(let base, let slot, _):
            if case .record(let schema) = base.type { insert(schema, slot) } else { all = true }
            add(base)
        case .project(let base, let slot, _):
            if case .list(.record(let schema)) = base.type { insert(schema, slot) } else { all = true }
            add(base)
        case .shift(let a, let b, _), .arithmetic(_, let a, let b), .compare(_, let a, let b), .and(let a, let b),
            .or(let a, let b), .between(_, let a, let b):
            add(a)
            add(b)
        case .negate(let a), .not(let a), .presence(let a, _):
            add(a)
        case .aggregate(_, let s), .selection(let s):
            add(s)
        }
    }
}
