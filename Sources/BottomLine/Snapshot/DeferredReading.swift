/// A list or record of the case that the streaming reader checks in every snapshot but builds
/// only when a rule will read it (see `DeferredFields`): `ReadPlan.deferred`.
final class DeferredPlan: Sendable {
    /// How to read the field when it is built.
    let plan: ReadPlan
    /// Its slot in the case, and its name (for the path of an error).
    let slot: Int
    let name: String
    /// Its place among the case's deferred fields (`RecordPlan.deferred`, `DeferredStarts`).
    let index: Int
    /// The field is built when one of these lists of the case has items (none: never).
    let guards: [DeferredFields.Guard]
    /// What stands in for the field while it is not built: an empty list or record (present,
    /// as the field is, for the check of required fields). No rule reads it.
    let placeholder: Value

    init(_ plan: ReadPlan, slot: Int, name: String, index: Int, guards: [DeferredFields.Guard]) {
        self.plan = plan
        self.slot = slot
        self.name = name
        self.index = index
        self.guards = guards
        if case .record = plan { placeholder = .record(RecordValue(fields: [])) } else { placeholder = .list([]) }
    }

    /// Whether a rule will read the field of the case whose fields are at `f` (`absent` where not
    /// read yet): one of the lists it waits for has items.
    func isRead(_ f: UnsafePointer<Value>) -> Bool {
        guards.contains { g in g.second < 0 ? f[g.first].isPresent : f[g.first].recordFieldIsPresent(g.second) }
    }
}

/// Where each deferred field of the snapshot being read starts in the input (-1: not deferred
/// in this snapshot), kept by one `ReadRun`. (Used by one thread, and never from within an access
/// to it: its properties are not checked for exclusive access at run time, which cost more than
/// noting a start did.)
final class DeferredStarts {
    @exclusivity(unchecked) private(set) var starts: [Int]
    /// Whether any field is deferred in the snapshot being read.
    @exclusivity(unchecked) private(set) var any = false

    init(count: Int) { starts = Array(repeating: -1, count: count) }

    func note(_ index: Int, at start: Int) {
        starts[index] = start
        any = true
    }

    func clear() {
        guard any else { return }
        for i in starts.indices { starts[i] = -1 }
        any = false
    }
}

extension ReadRun {
    /// A deferred field at the cursor, `soFar` the fields of the case read before it (`absent`
    /// for the others): read at once when one of the lists it waits for is among them and has
    /// items. Otherwise, when its value is certainly well formed and of the right type
    /// (`skipIfValid`), skipped, its start noted, and the placeholder given (`readDeferred`
    /// reads it when a list read later has items); if not certain, read at once (and rejected,
    /// when wrong, as any field is).
    func readOrDefer(_ d: DeferredPlan, _ c: inout JSONCursor, soFar: UnsafePointer<Value>?) throws -> Value {
        var probe = c
        if let pending, soFar.map({ !d.isRead($0) }) ?? true, skipIfValid(d.plan, &probe) {
            pending.note(d.index, at: c.pos)
            c = probe
            return d.placeholder
        }
        return try readValue(d.plan, &c)
    }

    /// Builds the deferred fields of the case just read (`fields`) that a rule will read, from
    /// where they start in the input that `c` reads.
    func readDeferred(into fields: UnsafeMutablePointer<Value>, _ pending: DeferredStarts, _ c: JSONCursor) throws {
        for d in reader.plan.deferred {
            let start = pending.starts[d.index]
            guard start >= 0, d.isRead(fields) else { continue }
            var at = c
            at.pos = start
            do {
                fields[d.slot] = try readValue(d.plan, &at)
            } catch var e as ReadError {
                // (Not expected: the field was checked as it was skipped.)
                e.path.append("." + d.name)
                throw e
            }
        }
        pending.clear()
    }
}
