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

extension CheckedRule {
    /// The expressions the rule evaluates for a case or for each item (all but its `for each`
    /// list): `applies when`, and the parts of its form.
    var judgedParts: [CompiledExpression] {
        var parts = appliesWhen.map { [$0] } ?? []
        switch form {
        case .schedule(let s):
            parts += [s.from, s.events]
            if let until = s.until { parts.append(until) }
            if let alt = s.alternative {
                if let d = alt.afterDate { parts.append(d) }
                if let w = alt.when { parts.append(w) }
            }
        case .population(let p):
            parts += [p.key, p.requirement]
            for a in p.aggregates { parts += a.selection.parts }
        case .deadline(let due, let done, _):
            parts += [due, done]
        case .condition(let e):
            parts.append(e)
        }
        return parts
    }
}

extension CompiledExpression {
    /// The expressions this one is made of (for a selection, its list and condition).
    var parts: [CompiledExpression] {
        switch kind {
        case .constant, .duration, .root, .local, .param:
            return []
        case .field(let a, _, _), .project(let a, _, _), .negate(let a), .not(let a), .presence(let a, _):
            return [a]
        case .shift(let a, let b, _), .arithmetic(_, let a, let b), .compare(_, let a, let b), .and(let a, let b),
            .or(let a, let b), .between(_, let a, let b):
            return [a, b]
        case .aggregate(_, let s), .selection(let s):
            return s.parts
        }
    }
}

extension CompiledSelection {
    /// Its list and its condition.
    var parts: [CompiledExpression] { [list] + (condition.map { [$0] } ?? []) }
}
