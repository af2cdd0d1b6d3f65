/// How a schedule reads its events when they come from one plain list, as nearly all do: a list
/// of dates (`case.supervisions`, `plan.reviews`), or a date field of a list of records
/// (`case.visits.date`), perhaps filtered (`case.visits.date where visit.seen_alone`).
///
/// Each event then keeps only its date and its position in the list; the path it was read from
/// (`case.visits[12].date`) is written from the list's path only for the few events that the
/// workings of a shown finding name. Reading the events through `forEachItem` with tracing on
/// made a path for every event, which cost several times the schedule's own walk. Other
/// shapes of events (lists of lists, aggregates) are read by `forEachItem` as before.
///
/// A class: a schedule takes its plan whole for every case, and a struct of three references
/// was copied counting each.
final class ScheduleEventsPlan: Sendable {
    /// The list, evaluated as a whole (not a projection or a selection).
    let list: CompiledExpression
    /// The date field taken from each record of the list, if the list holds records.
    let field: (slot: Int, name: String)?
    /// The field's name in UTF-8 (empty for none), for writers that lend it where it lies.
    let fieldUTF8: [UInt8]
    /// The `where` that filters the list's items, if any.
    let selection: CompiledSelection?

    /// The plan for these events, or nil when they have another shape.
    init?(_ events: CompiledExpression) {
        var list = events
        // `case.visits.date where visit.seen_alone` is compiled as a selection without a condition
        // of the projection of the filtered visits: the outer selection passes every item on.
        if case .selection(let outer) = list.kind, outer.condition == nil { list = outer.list }
        var field: (slot: Int, name: String)?
        if case .project(let base, let slot, let name) = list.kind {
            // Only a field that is a date: a list-valued field would be flattened into the events.
            guard case .list(.record(let schema)) = base.type, slot < schema.fields.count,
                schema.fields[slot].type == .date
            else { return nil }
            field = (slot, name)
            list = base
        }
        var selection: CompiledSelection?
        if case .selection(let sel) = list.kind {
            selection = sel
            list = sel.list
        }
        switch list.kind {
        case .project, .selection, .aggregate: return nil
        default: break
        }
        guard case .list(let item) = list.type else { return nil }
        if field == nil, item != .date { return nil }
        self.list = list
        self.field = field
        self.fieldUTF8 = Array((field?.name ?? "").utf8)
        self.selection = selection
    }

    /// Reads the events dated on or before `asOf` into `events` (each with its position in the
    /// list), as `forEachItem` would give them; returns, when tracing, whether they were read
    /// from the list and the list's path (from which `EventPath.item` names an event's path; nil
    /// when it is the list's path made when compiled, `list.fixedPath`), and whether the events
    /// came in date order. Items a `where` cannot decide are left out and recorded, with their
    /// paths, as `forEachItem(of:_:)` records them.
    func read(_ ev: inout ExpressionEvaluator, asOf: LocalDate, into events: ScheduleEventList)
        -> (fromList: Bool, path: ValuePath?, inOrder: Bool)
    {
        // Traced, a list whose path is made when compiled, without a `where` (supervisions, a
        // case's visits' dates), is read as a fast pass reads it: the workings name it by that
        // path, and making its path again counted a reference to each of its nodes, and let it go.
        let tracing = ev.tracing
        let fixed = tracing && selection == nil && list.unretainedFixedPath != nil
        if fixed { ev.tracing = false }
        let v = ev.evalQuietly(list)
        if fixed { ev.tracing = tracing }
        var inOrder = true
        var undecided: [Int] = []
        let saved = selection.map { ev.locals[$0.itemSlot] }
        /// Keeps the event dated `d` at position `i`, if it has happened by the as-of date.
        func keep(_ d: LocalDate, at i: Int) {
            guard d <= asOf else { return }
            if let last = events.last, last.date > d { inOrder = false }
            events.append(ScheduleEvent(date: d, index: i))
        }
        /// Considers the item `x` points to (where it lies in the list: a record copied out of it
        /// counted a reference to the list's fields).
        func consider(_ x: UnsafePointer<Value>, at i: Int) {
            if let sel = selection {
                let verdict: Bool?
                if sel.condition != nil, let slot = sel.conditionField {
                    // A yes/no field of the item, read where it lies, as `meets` reads it.
                    if case .bool(let b) = x.pointee.recordField(slot) { verdict = b } else { verdict = nil }
                } else {
                    verdict = ev.meets(sel, x.pointee, path: v.path.map { ScheduleEventsPlan.itemPath($0, i) })
                }
                switch verdict {
                case true?: break
                case false?: return
                case nil:
                    if ev.tracing { undecided.append(i) }
                    return
                }
            }
            // The date: the item itself, or its field.
            let d: LocalDate
            if let field {
                guard case .date(let fd) = x.pointee.recordField(field.slot) else { return }
                d = fd
            } else {
                guard case .date(let xd) = x.pointee else { return }
                d = xd
            }
            keep(d, at: i)
        }
        // The items where they lie in the list.
        let isList: Void? = v.value.withListItems { items in
            if selection == nil && field == nil {
                // A plain list of dates (supervisions, reviews): matched where each lies in the list.
                for i in items.indices {
                    if case .date(let d) = items[i] { keep(d, at: i) }
                }
            } else {
                guard let first = items.baseAddress else { return }
                for i in items.indices { consider(first + i, at: i) }
            }
        }
        if isList == nil, v.value.isPresent {
            withUnsafePointer(to: v.value) { consider($0, at: -1) }  // a single value stands for a list of one, as in `forEachItem`
        }
        if let sel = selection, let saved {
            ev.locals[sel.itemSlot] = saved
            ev.recordUndecided(sel, paths: undecided.map { i in v.path.map { ScheduleEventsPlan.itemPath($0, i).text } ?? "?" })
        }
        return (tracing && (fixed || v.path != nil), v.path, inOrder)
    }

    /// The path of the list's item `i` (the list itself for -1, a single value).
    static func itemPath(_ list: ValuePath, _ i: Int) -> ValuePath { i < 0 ? list : list.element(i) }
}
