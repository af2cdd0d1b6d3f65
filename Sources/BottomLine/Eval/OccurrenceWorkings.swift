/// What a finding recorded of how it was reached: trace events, or, for one occurrence of a
/// schedule, the parts its steps are made of, made into trace events only when they are read
/// (`events`). A streaming run writes the parts straight into JSON: most findings it writes are
/// occurrences, and making each one's events (a list, and the text of each event's path) and
/// freeing them cost more than writing them did.
enum FindingTrace: Equatable, Sendable {
    case events([TraceEvent])
    case occurrence(OccurrenceWorkings)

    static let none = FindingTrace.events([])

    /// The trace events, in order.
    var events: [TraceEvent] {
        switch self {
        case .events(let events): return events
        case .occurrence(let o): return o.events
        }
    }

    /// An occurrence's workings as a reference that is not counted (the trace holds it), for
    /// reading them where they lie: binding them counted a reference for every finding written.
    var unretainedOccurrence: Unmanaged<OccurrenceWorkings>? {
        guard case .occurrence(let o) = self else { return nil }
        return .passUnretained(o)
    }

    /// Equal when their events are: the same workings, whichever way they were recorded.
    static func == (a: FindingTrace, b: FindingTrace) -> Bool { a.events == b.events }
}

/// The workings of one occurrence of a schedule, as parts: the trace before it (where the first
/// occurrence is counted from, or what the case or item recorded), the previous event a later
/// occurrence is counted from, the due date's arithmetic, the event that met it (or none), the
/// trace after it (conditions, and the period's end for the open occurrence) and the as-of date
/// an open occurrence is judged at. What every occurrence of one judging of the schedule shares
/// is held once, in `schedule` (an occurrence held a reference to each part, counted as each
/// finding was made and again as it was freed); what is the occurrence's own, in `steps`.
final class OccurrenceWorkings: Sendable {
    let schedule: ScheduleWorkings
    let steps: OccurrenceSteps

    init(_ schedule: ScheduleWorkings, _ steps: OccurrenceSteps) {
        self.schedule = schedule
        self.steps = steps
    }

    /// Whether this is the first occurrence (counted from the start, not a previous event).
    var first: Bool { steps.first }
    /// The previous event, for a later occurrence.
    var previous: ScheduleEvent? { steps.previous }
    var shift: TraceEvent? { steps.shift }
    /// The event that met the occurrence; nil when none has.
    var event: ScheduleEvent? { steps.event }
    var asOf: LocalDate? { steps.asOf }
    /// The trace after the event: the period's end, for an occurrence no event has met.
    var end: TraceEvent? { steps.end(schedule) }
    /// The previous event's step, for a later occurrence.
    var previousStep: EventStep? { steps.previousStep(schedule) }
    /// The step of the event that met the occurrence, or that none has.
    var eventStep: EventStep { steps.eventStep(schedule) }
    /// The trace events these parts stand for, in order.
    var events: [TraceEvent] { steps.events(schedule) }
}

/// What is an occurrence's own in its workings (see `OccurrenceWorkings`): whether it is the
/// first, the previous event it is counted from, the due date's arithmetic, the event that met
/// it, and the as-of date an open one is judged at. Read with the `ScheduleWorkings` of its
/// judging; a streaming run writes a finding from the two without making the finding.
struct OccurrenceSteps: Sendable {
    /// Whether this is the first occurrence (counted from the start, not a previous event).
    let first: Bool
    /// The previous event, for a later occurrence.
    let previous: ScheduleEvent?
    let shift: TraceEvent?
    /// The event that met the occurrence; nil when none has.
    let event: ScheduleEvent?
    let asOf: LocalDate?

    /// The trace before the occurrence.
    func before(_ schedule: ScheduleWorkings) -> [TraceEvent] { first ? schedule.startTrace : schedule.baseTrace }
    /// The trace after the event: the period's end, for an occurrence no event has met.
    func end(_ schedule: ScheduleWorkings) -> TraceEvent? { event == nil ? schedule.endFact : nil }
    /// The previous event's step, for a later occurrence.
    func previousStep(_ schedule: ScheduleWorkings) -> EventStep? {
        previous.map { schedule.previousStep(date: $0.date, event: $0) }
    }
    /// The step of the event that met the occurrence, or that none has.
    func eventStep(_ schedule: ScheduleWorkings) -> EventStep {
        guard let event else { return EventStep(label: schedule.eventsLabel, date: nil, path: .text(EventStep.noLaterEvent)) }
        return EventStep(label: schedule.eventsLabel, date: event.date, path: schedule.path(of: event) ?? .text(schedule.eventsLabel))
    }

    /// The trace events these parts stand for, in order.
    func events(_ schedule: ScheduleWorkings) -> [TraceEvent] {
        var t = before(schedule)
        let end = end(schedule)
        t.reserveCapacity(t.count + schedule.conditions.count + 5)
        if let previousStep = previousStep(schedule) { t.append(previousStep.fact) }
        if let shift { t.append(shift) }
        t.append(eventStep(schedule).fact)
        t += schedule.conditions
        if let end { t.append(end) }
        if let asOf { t.append(.asOf(asOf)) }
        return t
    }
}

/// What the workings of every occurrence of one traced judging of a schedule share: the trace
/// before the first occurrence and before later ones, the conditions, the period's end, the
/// names of the previous event and of the events, and where the events were read.
///
/// Not changed once the judging that made it is over: the start's workings are recorded during
/// it, before its first occurrence's finding is made (`recordStart`), hence `@unchecked Sendable`.
final class ScheduleWorkings: @unchecked Sendable {
    /// The trace before the first occurrence: `baseTrace` and the start's workings, once
    /// recorded (`recordStart`; until then, `baseTrace`).
    private(set) var startTrace: [TraceEvent]
    /// Whether the start's workings are recorded in `startTrace`.
    private(set) var recordsStart = false
    private(set) var baseTrace: [TraceEvent]
    private(set) var conditions: [TraceEvent]
    /// The period's end (`until`), for an occurrence no event has met; nil without one.
    private(set) var end: End?
    /// The fact of the period's end, made from its parts (see `End`).
    var endFact: TraceEvent? {
        guard let end, let until = compiled.until else { return nil }
        return .fact(label: until.label, value: end.date.map(Value.date) ?? .absent, path: end.path ?? until.fixedPath?.text ?? "")
    }
    /// Whether the period's end is not recorded and is read from the path of `until` made when
    /// compiled: the step a rule's fields render beforehand (`ReportJSON.RuleFields`).
    var endIsOpenAtFixedPath: Bool { end.map { $0.date == nil && $0.path == nil } ?? false }

    /// The period's end: its date (nil: not recorded), and where it was read (nil: the path of
    /// `until`, a field of fields of the case, made once when compiled).
    struct End: Sendable {
        let date: LocalDate?
        let path: String?
    }
    /// The schedule judged: its names for the previous event and for the events are read from
    /// it. (Copied here for every traced judging, they counted a reference each, and again when
    /// freed; the schedule is counted once.)
    private var compiled: CompiledSchedule
    var previousLabel: String { compiled.previousLabel }
    /// The trace event of `rule`'s step of one of the schedule's intervals (see
    /// `CompiledSchedule.stepEvent(_:rule:)`).
    func stepEvent(_ shifted: Shifted, rule: CheckedRule) -> TraceEvent { compiled.stepEvent(shifted, rule: rule) }
    var eventsLabel: String { compiled.events.label }
    /// Events read from one list (`ScheduleEventsPlan`): the text of the list's path and the
    /// events' field (empty for none), from which an event's path is written; nil otherwise.
    var list: (text: String, field: String)? {
        guard readFromList, let plan = compiled.eventsPlan else { return nil }
        return (listText ?? plan.list.fixedPath?.text ?? "", plan.field?.name ?? "")
    }
    /// Whether the events were read from one list (`ScheduleEventsPlan`).
    private var readFromList: Bool
    /// The text of that list's path; nil when it is the path of the plan's list made when
    /// compiled (`case.supervisions`), read from it. (Copied here for every traced judging, it
    /// counted a reference to it, and again when freed.)
    private var listText: String?
    /// Events read otherwise: where each was read, by `ScheduleEvent.index` (empty when read from
    /// a list whose path is not known: the events' name stands for their paths).
    private(set) var nodes: [ValuePath?]

    /// `startTrace`: `baseTrace` and the start's workings, when recorded at once (nil: recorded
    /// later, by `recordStart`).
    init(startTrace: [TraceEvent]?, baseTrace: [TraceEvent], conditions: [TraceEvent], end: End?,
        schedule: CompiledSchedule, fromList: Bool, listText: String?, nodes: [ValuePath?])
    {
        self.startTrace = startTrace ?? baseTrace
        self.recordsStart = startTrace != nil
        self.baseTrace = baseTrace
        self.conditions = conditions
        self.end = end
        self.compiled = schedule
        self.readFromList = fromList
        self.listText = listText
        self.nodes = nodes
    }

    /// Workings with these parts: `spare`, made again in place, when nothing but it holds them
    /// (in a streaming run, which writes each finding at once, nothing else does); otherwise new
    /// ones. (Made new for every traced judging, allocating and freeing them was 0.7% of the
    /// instructions of an actionable run.)
    static func make(reusing spare: inout ScheduleWorkings?, startTrace: [TraceEvent]?, baseTrace: [TraceEvent],
        conditions: [TraceEvent], end: End?, schedule: CompiledSchedule, fromList: Bool, listText: String?,
        nodes: [ValuePath?]) -> ScheduleWorkings
    {
        guard var w = spare.take(), isKnownUniquelyReferenced(&w) else {
            return ScheduleWorkings(startTrace: startTrace, baseTrace: baseTrace, conditions: conditions, end: end,
                schedule: schedule, fromList: fromList, listText: listText, nodes: nodes)
        }
        w.startTrace = startTrace ?? baseTrace
        w.recordsStart = startTrace != nil
        w.baseTrace = baseTrace
        w.conditions = conditions
        w.end = end
        w.compiled = schedule
        w.readFromList = fromList
        w.listText = listText
        w.nodes = nodes
        return w
    }

    /// Records `trace`, `baseTrace` and the workings of the schedule's start, as `startTrace`: by
    /// the judging that made these workings, before its first occurrence's finding is made.
    func recordStart(_ trace: [TraceEvent]) {
        startTrace = trace
        recordsStart = true
    }

    /// The step of the previous event (`event`, dated `date`) a later occurrence is counted from.
    func previousStep(date: LocalDate, event: ScheduleEvent?) -> EventStep {
        EventStep(label: previousLabel, date: date, path: event.flatMap(path(of:)) ?? .text(eventsLabel))
    }

    /// Calls `body` with the UTF-8 of the text of the path of the list the events were read from
    /// and of their field (empty for none), where they lie; nil, without calling it, when they
    /// were not read from one list (or the text is not in one piece, which no native string
    /// is). (Read so, the schedule's names are not counted.)
    @inline(__always)
    func withList<R>(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard readFromList, let plan = compiled.unretained.eventsPlan else { return nil }
        return plan._withUnsafeGuaranteedRef { plan in
            plan.fieldUTF8.withUnsafeBufferPointer { f in
                if let listText { return listText.utf8.withContiguousStorageIfAvailable { body($0, f) } }
                guard let fixed = plan.list.unretainedFixedPath else { return nil }
                return fixed._withUnsafeGuaranteedRef { $0.utf8.withUnsafeBufferPointer { body($0, f) } }
            }
        }
    }

    /// Where `event` was read from; nil when not known.
    func path(of event: ScheduleEvent) -> EventPath? {
        if let list { return .item(list: list.text, index: event.index, field: list.field.isEmpty ? nil : list.field) }
        guard event.index >= 0, event.index < nodes.count else { return nil }
        return nodes[event.index].map { .text($0.text) }
    }
}

/// A schedule's event as a step of the workings: its name, its date (nil: none recorded), and
/// where it was read.
struct EventStep: Sendable {
    let label: String
    let date: LocalDate?
    let path: EventPath

    /// Where the event of an occurrence that no event has met is said to be read from.
    static let noLaterEvent = "no later event recorded"

    /// The step as a trace event.
    var fact: TraceEvent { .fact(label: label, value: date.map(Value.date) ?? .absent, path: path.text) }
}

/// Where an event was read, as text or as the parts of its path (`case.visits` `[12]` `.date`),
/// put together only when the text is wanted.
enum EventPath: Sendable {
    case text(String)
    /// `list`, then `[index]` when `index` ≥ 0 (a list's only value has none), then `.field` when
    /// there is one.
    case item(list: String, index: Int, field: String?)

    var text: String {
        switch self {
        case .text(let s): return s
        case .item(let list, let index, let field): return EventPath.join(list, index, field ?? "")
        }
    }

    /// `list` + `[index]` (when `index` ≥ 0) + `.field` (when not empty), made in one piece
    /// (appending the parts one by one made a string for each, and grew it).
    static func join(_ list: String, _ index: Int, _ field: String) -> String {
        var list = list
        var name = field
        let indexLength = index >= 0 ? PathNode.indexLength(index) : 0
        return list.withUTF8 { l in
            name.withUTF8 { f in
                let count = l.count + indexLength + (f.isEmpty ? 0 : f.count + 1)
                return String(unsafeUninitializedCapacity: count) { b in
                    if let base = l.baseAddress { b.baseAddress!.update(from: base, count: l.count) }
                    var at = l.count
                    if indexLength > 0 {
                        PathNode.writeIndex(index, length: indexLength, to: b.baseAddress! + at)
                        at += indexLength
                    }
                    if !f.isEmpty, let base = f.baseAddress {
                        b[at] = 0x2E
                        (b.baseAddress! + at + 1).update(from: base, count: f.count)
                        at += f.count + 1
                    }
                    return at
                }
            }
        }
    }

    /// The most bytes `writeQuoted(_:_:_:to:)` writes for a list's and a field's text of these
    /// lengths: every byte escaped, and an index of up to 19 digits.
    static func quotedBound(list: Int, field: Int) -> Int { ByteBuffer.quotedBound(list + 22 + field) }

    /// Writes `join(list, index, field)` as a JSON string at `p` (quoted, escaped as needed), in
    /// place from its parts; returns how many bytes it wrote.
    static func writeQuoted(_ list: UnsafeBufferPointer<UInt8>, _ index: Int, _ field: UnsafeBufferPointer<UInt8>,
        to p: UnsafeMutablePointer<UInt8>) -> Int
    {
        p[0] = 0x22
        var at = 1
        if let l = list.baseAddress {
            guard ByteBuffer.copyIfPlain(l, count: list.count, to: p + at) else { return writeJoined(list, index, field, to: p) }
            at += list.count
        }
        if index >= 0 {
            let n = PathNode.indexLength(index)
            PathNode.writeIndex(index, length: n, to: p + at)
            at += n
        }
        if let f = field.baseAddress, !field.isEmpty {
            p[at] = 0x2E
            guard ByteBuffer.copyIfPlain(f, count: field.count, to: p + at + 1) else { return writeJoined(list, index, field, to: p) }
            at += field.count + 1
        }
        p[at] = 0x22
        return at + 1
    }

    /// As `writeQuoted`, by way of the joined text (for parts that need escaping).
    private static func writeJoined(_ list: UnsafeBufferPointer<UInt8>, _ index: Int, _ field: UnsafeBufferPointer<UInt8>,
        to p: UnsafeMutablePointer<UInt8>) -> Int
    {
        var text = join(String(decoding: list, as: UTF8.self), index, String(decoding: field, as: UTF8.self))
        return text.withUTF8 { ByteBuffer.writeQuoted($0, to: p) }
    }
}
