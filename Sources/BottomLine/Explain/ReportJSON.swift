/// Which findings an output shows.
public enum FindingFilter: String, Sendable {
    /// Every outcome but `met` and `not_applicable`.
    case actionable
    case all
    /// No finding is shown: only the counts (for dashboards and for timing evaluation itself).
    case counts

    func keeps(_ f: Finding) -> Bool { keeps(f.outcome) }
    @inline(__always) func keeps(_ o: Outcome) -> Bool {
        switch self {
        case .all: return true
        case .actionable: return o.isActionable
        case .counts: return false
        }
    }
}

/// Renders findings and reports as the JSON of the command-line contract (`cli.md`). Keys are
/// stable: keys may be added, never renamed or removed.
public struct ReportJSON: Sendable {
    public init() {}

    /// The whole report as one JSON object.
    public func render(_ r: Report, show: FindingFilter = .all) -> String {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.field("as_of", r.asOf.description)
        w.field("cases_read", r.casesRead)
        w.field("cases_rejected", r.casesRejected)
        w.key("findings")
        w.beginArray()
        for f in r.findings where show.keeps(f) { write(f, &w) }
        w.endArray()
        w.key("rejected")
        w.beginArray()
        for x in r.rejected { write(x, &w) }
        w.endArray()
        writeCounts(r, &w)
        w.endObject()
        return w.string + "\n"
    }

    /// One finding per line, then one line of counts (`{"counts": …}`).
    public func renderNDJSON(_ r: Report, show: FindingFilter = .all) -> String {
        var w = JSONWriter()
        for f in r.findings where show.keeps(f) {
            write(f, &w)
            w.newline()
        }
        for x in r.rejected { writeRejectedLine(x, &w) }
        w.beginObject()
        w.field("as_of", r.asOf.description)
        w.field("cases_read", r.casesRead)
        w.field("cases_rejected", r.casesRejected)
        writeCounts(r, &w)
        w.endObject()
        w.newline()
        return w.string
    }

    /// One finding as a JSON object.
    public func render(_ f: Finding) -> String {
        var w = JSONWriter(pretty: true)
        write(f, &w)
        return w.string + "\n"
    }

    /// A rule's `RuleFields` in a run as of `asOf`, for `write(_:_:ruleFields:)`.
    func ruleFields(_ rule: CheckedRule, asOf: LocalDate) -> RuleFields { RuleFields(rule, asOf: asOf, json: self) }

    /// `ruleFields`: the finding's rule's `ruleFields(_:)`, when the writer is compact.
    func write(_ f: Finding, _ w: inout JSONWriter, ruleFields: RuleFields? = nil) {
        var f = f
        write(&f, &w, ruleFields: ruleFields)
    }

    /// As `write(_:_:ruleFields:)`, for a finding where it lies (not changed: taken `inout`, it
    /// is read in place, where passing it by value copied it, counting a reference to each of
    /// its parts, for every finding written).
    func write(_ f: inout Finding, _ w: inout JSONWriter, ruleFields: RuleFields? = nil) {
        writeHead(ruleFields, rule: f.ruleText, caseID: f.group == nil ? f.caseID : nil, item: f.item, occurrence: f.occurrence,
            group: f.group, value: f.value, limit: f.limit, outcome: f.outcome, due: f.due, done: f.done, lateBy: f.lateBy,
            timeLeft: f.timeLeft, &w)
        w.key("workings")
        w.beginArray()
        if let o = f.recorded.unretainedOccurrence {
            o._withUnsafeGuaranteedRef { writeSteps($0, &w, ruleFields: ruleFields) }
        } else if case .events(let events) = f.recorded {
            writeSteps(events, &w)
        }
        w.endArray()
        if f.outcome == .incomplete {
            w.key("missing")
            w.beginArray()
            for m in f.missing { w.string(m) }
            w.endArray()
            w.optionalField("reason", f.reason)
            if let l = f.location {
                w.key("input")
                w.beginObject()
                w.field("file", l.file)
                w.field("line", l.line)
                w.endObject()
            }
        }
        w.endObject()
    }

    /// Opens a finding's object and writes its fields before the workings: its rule, the case
    /// (nil for a group of cases), item and occurrence, the group, the outcome, dates and amounts,
    /// and the rule's title, kind and source (from `ruleFields` when given, else from `rule`).
    func writeHead(_ ruleFields: RuleFields?, rule: @autoclosure () -> RuleText, caseID: String?, item: String?, occurrence: Int?,
        group: FindingGroup? = nil, value: Double? = nil, limit: Double? = nil, outcome: Outcome, due: LocalDate?, done: LocalDate?,
        lateBy: Amount?, timeLeft: Amount?, _ w: inout JSONWriter)
    {
        w.beginObject()
        // A finding of a case, written compact with its rule's fields rendered beforehand (as every
        // streaming run writes them): in one piece.
        if let ruleFields, let caseID, group == nil, value == nil, limit == nil {
            return ruleFields.writeHead(caseID: caseID, item: item, occurrence: occurrence, outcome: outcome, due: due, done: done,
                lateBy: lateBy, timeLeft: timeLeft, &w)
        }
        if let ruleFields { ruleFields.write(first: true, &w) } else { w.field("rule", rule().id) }
        if let caseID { w.field("case", caseID) }
        w.optionalField("item", item)
        if let k = occurrence { w.field("occurrence", k) }
        if let g = group {
            w.key("group")
            w.beginObject()
            w.field("by", g.by)
            w.field("value", g.value)
            w.endObject()
        }
        if let v = value {
            w.key("value")
            w.number(v)
        }
        if let l = limit {
            w.key("limit")
            w.number(l)
        }
        w.field("outcome", plain: outcome.json)
        w.optionalField("due", due)
        w.optionalField("done", done)
        if let a = lateBy { amount("late_by", a, &w) }
        if let a = timeLeft { amount("time_left", a, &w) }
        if let ruleFields {
            ruleFields.write(first: false, &w)
        } else {
            let text = rule()
            w.field("title", text.title)
            w.field("kind", text.kind)
            w.field("source", text.source)
        }
    }

    func amount(_ key: StaticString, _ a: Amount, _ w: inout JSONWriter) {
        w.key(key)
        w.object("amount", a.amount, "unit", plain: a.unit.json)
    }

    func write(_ x: Rejection, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("file", x.location.file)
        w.field("line", x.line)
        w.field("column", x.column)
        w.field("position", x.location.index)
        w.optionalField("case", x.caseID)
        w.optionalField("field", x.path)
        w.field("reason", x.message)
        w.optionalField("help", x.help)
        w.endObject()
    }

    /// A rejected snapshot as one NDJSON line: `{"rejected": {…}}`.
    func writeRejectedLine(_ x: Rejection, _ w: inout JSONWriter) {
        w.beginObject()
        w.key("rejected")
        write(x, &w)
        w.endObject()
        w.newline()
    }

    func writeCounts(_ r: Report, _ w: inout JSONWriter) {
        writeCounts(totals: r.totals(), byRule: r.counts(), &w)
    }

    /// `"counts": {"by_outcome": {…}, "by_rule": {…}}`, every outcome listed, rules in order.
    func writeCounts(totals: [Outcome: Int], byRule: [(rule: String, outcomes: [Outcome: Int])], _ w: inout JSONWriter) {
        w.key("counts")
        w.beginObject()
        /// `{"met": n, …}`, every outcome listed.
        func byOutcome(_ counts: [Outcome: Int]) {
            w.beginObject()
            for o in Outcome.allCases {
                w.key(escaping: o.rawValue)
                w.int(counts[o] ?? 0)
            }
            w.endObject()
        }
        w.key("by_outcome")
        byOutcome(totals)
        w.key("by_rule")
        w.beginObject()
        for (rule, outcomes) in byRule {
            w.key(escaping: rule)
            byOutcome(outcomes)
        }
        w.endObject()
        w.endObject()
    }
}

extension ReportJSON {
    /// Writes trace events as workings steps, straight from the trace: no English steps are made
    /// and kept for a finding written here. (Each event's parts are lent to the writer, not copied
    /// into a `StepParts` first; and each event is worded where it lies in the trace: `for e in
    /// trace` copied each one out, counting a reference to each of its strings, and freed the copy
    /// after.)
    func writeSteps(_ events: [TraceEvent], _ w: inout JSONWriter) {
        events.withUnsafeBufferPointer { events in
            for i in events.indices { writeStep(events.baseAddress! + i, &w) }
        }
    }

    /// Writes one trace event as a workings step.
    func writeStep(_ e: UnsafePointer<TraceEvent>, _ w: inout JSONWriter) {
        // A working-day step that skipped no holiday (most of them): what it is from (`calendar`
        // and the calendar's name) written from those parts, where wording it made the whole
        // text, longer than a string holds without room of its own, for every step written.
        if case .shift(let label, let result, let calendar?, let skipped, _, let counting) = e.pointee {
            var name = calendar
            return name.withUTF8 { n in
                let bound3 = ByteBuffer.quotedBound(StepParts.calendarPrefix.utf8.count + n.count)
                if skipped.isEmpty {
                    return w.object("step", label, "value", result, "from", bound3: bound3,
                        { ReportJSON.writeCalendarSource(n, to: $0) }, text3: { StepParts.calendarPrefix + calendar }, "note",
                        StepParts.noHolidaysNote(counting))
                }
                // A step that skipped holidays: its note too written from its parts (worded as a
                // string, it cost some 1,700 instructions a step).
                let months = w.months
                w.object("step", label, "value", result, "from", bound3: bound3, { ReportJSON.writeCalendarSource(n, to: $0) },
                    text3: { StepParts.calendarPrefix + calendar }, "note", bound4: ReportJSON.skippedNoteBound(skipped, counting),
                    { ReportJSON.writeSkippedNote(skipped, counting, months: months, to: $0) }, text4: { StepParts.skippedNote(skipped, counting) })
            }
        }
        StepParts.word(e) { step, value, from, note in
            switch value {
            case .text(let t): w.object("step", step, "value", t, "from", from, "note", note)
            case .date(let d): w.object("step", step, "value", d, "from", from, "note", note)
            }
        }
    }

    /// The most bytes `writeSkippedNote` writes for these holidays.
    static func skippedNoteBound(_ skipped: [Holiday], _ counting: DayCounting?) -> Int {
        // Each holiday's name, quoted, and ` (`, its date, `)` and `, `.
        var n = ByteBuffer.quotedBound(StepParts.skippedPrefix.utf8.count + StepParts.countedNote(counting).utf8.count)
        for h in skipped { n += ByteBuffer.quotedBound(h.name.utf8.count) + LocalDate.quotedISOBound + 4 }
        return n
    }

    /// Writes the note of a working-day step that skipped `skipped` (not empty), as
    /// `StepParts.skippedNote` words it (its prefix and its ending taken from there), quoted, at
    /// `p`, with room for `skippedNoteBound`; returns how many bytes it wrote. (A holiday's name
    /// with anything to escape is written through the string.)
    static func writeSkippedNote(_ skipped: [Holiday], _ counting: DayCounting?, months: MonthTable,
        to p: UnsafeMutablePointer<UInt8>) -> Int
    {
        /// Copies `s`'s bytes (plain: the notes' own words, and a name checked first) to `q`; how many.
        @inline(__always) func copy(_ s: String, to q: UnsafeMutablePointer<UInt8>) -> Int {
            var s = s
            return s.withUTF8 { JSONWriter.copy($0, to: q) }
        }
        p[0] = 0x22
        var at = 1 + copy(StepParts.skippedPrefix, to: p + 1)
        for (i, h) in skipped.enumerated() {
            if i > 0 { at += copy(", ", to: p + at) }
            var name = h.name
            let plain = name.withUTF8 { n in n.isEmpty || ByteBuffer.copyIfPlain(n.baseAddress!, count: n.count, to: p + at) }
            if !plain { return JSONWriter.writeQuoted(StepParts.skippedNote(skipped, counting), to: p) }
            at += h.name.utf8.count
            p[at] = 0x20
            at += 1
            // The date in brackets: written quoted, its quotes then made brackets.
            let n = h.date.writeQuotedISO(to: p + at, months: months)
            p[at] = 0x28
            p[at + n - 1] = 0x29
            at += n
        }
        at += copy(StepParts.countedNote(counting), to: p + at)
        p[at] = 0x22
        return at + 1
    }

    /// Writes `"calendar <name>"` (quoted, escaped as needed) at `p`, with room for
    /// `quotedBound` of its length; returns how many bytes it wrote.
    static func writeCalendarSource(_ name: UnsafeBufferPointer<UInt8>, to p: UnsafeMutablePointer<UInt8>) -> Int {
        let prefix = StepParts.calendarPrefix
        if let n = name.baseAddress, prefix.utf8.withContiguousStorageIfAvailable({ (p + 1).update(from: $0.baseAddress!, count: $0.count) }) != nil,
            ByteBuffer.copyIfPlain(n, count: name.count, to: p + 1 + prefix.utf8.count)
        {
            p[0] = 0x22
            p[prefix.utf8.count + name.count + 1] = 0x22
            return prefix.utf8.count + name.count + 2
        }
        return JSONWriter.writeQuoted(prefix + String(decoding: name, as: UTF8.self), to: p)
    }

    /// Writes the workings of an occurrence of a schedule from their parts, step for step as the
    /// trace events they stand for (`OccurrenceWorkings.events`) would be written, without making
    /// those events or the text of the events' paths.
    /// `ruleFields`: the rule's fields and steps rendered beforehand (compact writers only), its
    /// steps written for the steps they stand for. (Read where they lie: a copy of the rendered
    /// steps counted a reference to each of their parts, for every finding.)
    func writeSteps(_ o: OccurrenceWorkings, _ w: inout JSONWriter, ruleFields: RuleFields? = nil) {
        writeSteps(o.steps, of: o.schedule, &w, ruleFields: ruleFields)
    }

    /// As `writeSteps(_:_:ruleFields:)`, from an occurrence's own parts and those of its judging
    /// (a streaming run writes them so without making an `OccurrenceWorkings`). `shifted`: the
    /// interval's step as its parts, with its rule, when `o` leaves it out: made into its trace
    /// event only when it is not the step rendered for the rule.
    func writeSteps(_ o: OccurrenceSteps, of s: ScheduleWorkings, _ w: inout JSONWriter, ruleFields: RuleFields? = nil,
        shifted: (Shifted, Unmanaged<CheckedRule>)? = nil)
    {
        writeSteps(o.first ? s.startTrace : s.baseTrace, &w)
        if let previous = o.previous, ruleFields?.writeRendered(previous: previous, of: s, &w) != true { writeStep(o.previousStep(s)!, &w) }
        if let shift = o.shift {
            withUnsafePointer(to: shift) { shift in
                if ruleFields?.writeRendered(shift: shift, &w) != true { writeStep(shift, &w) }
            }
        } else if let (shifted, rule) = shifted {
            let event = { rule._withUnsafeGuaranteedRef { s.stepEvent(shifted, rule: $0) } }
            if ruleFields?.writeRendered(shifted, &w) == true {
                assert(withUnsafePointer(to: event()) { ruleFields!.rendersShift($0) }, "a step rendered for another interval")
            } else {
                withUnsafePointer(to: event()) { writeStep($0, &w) }
            }
        }
        if ruleFields?.writeRendered(event: o.event, of: s, &w) != true { writeStep(o.eventStep(s), &w) }
        writeSteps(s.conditions, &w)
        if o.event == nil, ruleFields?.writeRenderedOpenEnd(of: s, &w) != true, let end = s.endFact {
            withUnsafePointer(to: end) { writeStep($0, &w) }
        }
        if let asOf = o.asOf, ruleFields?.writeRendered(asOf: asOf, &w) != true {
            withUnsafePointer(to: TraceEvent.asOf(asOf)) { writeStep($0, &w) }
        }
    }

    /// Writes a schedule's event as the step its trace event (`EventStep.fact`) is written as: a
    /// path given by its parts is written from them.
    func writeStep(_ step: EventStep, _ w: inout JSONWriter) {
        guard let date = step.date, case .item(let listText, let index, let fieldName) = step.path else {
            return withUnsafePointer(to: step.fact) { writeStep($0, &w) }
        }
        var list = listText
        var field = fieldName ?? ""
        list.withUTF8 { l in
            field.withUTF8 { f in
                w.object("step", step.label, "value", date, "from", bound3: EventPath.quotedBound(list: l.count, field: f.count),
                    { EventPath.writeQuoted(l, index, f, to: $0) }, text3: { step.path.text }, "note", nil)
            }
        }
    }
}
