/// The lists and records of the case that a checked program reads only for cases where another
/// list has items: fields read by no rule but inside a `for each` over a list of the case. In the
/// shipped rules, `case.visits` is read only by the rules on protection plans and placements, so
/// for a child with neither (most children in need) no rule looks at the visits at all.
///
/// The streaming reader still checks such a field in every snapshot, so bad input is rejected as
/// before, but builds its values only when one of those lists has items: a rule with a `for each`
/// over an empty or absent list evaluates nothing else (see `evaluate`). A list or record of the
/// case that no rule reads is never built.
///
/// Conservative: a rule across cases, a `for each` over anything but a field of the case or a
/// field of one of its records, and an expression that takes the case whole, count as reading
/// at once every field they name (the last, every field).
struct DeferredFields: Sendable {
    /// A list whose items a deferred field waits for: a field of the case (`second` -1) or a
    /// field of one of its records, by slot (`CompiledExpression.route`).
    struct Guard: Hashable, Comparable, Sendable {
        let first: Int
        let second: Int

        static func < (a: Guard, b: Guard) -> Bool { (a.first, a.second) < (b.first, b.second) }
    }

    /// By slot of the case's schema, the fields deferred, each with the lists of the rules that
    /// read it (it is built when one of them has items; none: no rule reads it).
    let guards: [Int: [Guard]]

    init(_ program: CheckedProgram) {
        var atOnce = Set<Int>()
        var waiting: [Int: Set<Guard>] = [:]
        var wholeCase = false
        if let id = program.schema.slot(of: program.idField) { atOnce.insert(id) }
        for rule in program.rules {
            var read = Set<Int>()
            for e in rule.judgedParts { DeferredFields.caseFields(e, into: &read, wholeCase: &wholeCase) }
            if let list = rule.forEach?.list, !rule.isPopulation, list.route.from < 0, list.route.first >= 0 {
                atOnce.insert(list.route.first)
                let g = Guard(first: list.route.first, second: list.route.second)
                for slot in read { waiting[slot, default: []].insert(g) }
            } else {
                if let list = rule.forEach?.list { DeferredFields.caseFields(list, into: &read, wholeCase: &wholeCase) }
                atOnce.formUnion(read)
            }
        }
        var guards: [Int: [Guard]] = [:]
        if !wholeCase {
            for (slot, field) in program.schema.fields.enumerated() where !atOnce.contains(slot) {
                switch field.type {
                case .list, .record: guards[slot] = (waiting[slot] ?? []).sorted()
                default: break
                }
            }
        }
        self.guards = guards
    }

    /// Adds to `read` the fields of the case that `e` reads (`case.visits.date` reads `visits`);
    /// sets `wholeCase` when `e` takes the case other than by one of its fields.
    private static func caseFields(_ e: CompiledExpression, into read: inout Set<Int>, wholeCase: inout Bool) {
        switch e.kind {
        case .root:
            wholeCase = true
        case .field(let base, let slot, _):
            if case .root = base.kind { read.insert(slot) } else { caseFields(base, into: &read, wholeCase: &wholeCase) }
        default:
            for part in e.parts { caseFields(part, into: &read, wholeCase: &wholeCase) }
        }
    }
}
