extension ReportJSON {
    /// What a rule's findings' JSON always says the same way, rendered once a run: the rule's
    /// id, then its title, kind and source (the same in every finding of the rule); and the
    /// workings steps that read the same in many of them: the as-of step of an open occurrence
    /// (the run's as-of date), a schedule's step for an occurrence no event has met yet, and its
    /// step for a period whose end is not recorded. An open occurrence's workings end with all
    /// three, and writing them word by word cost more than the rest of its finding. And the steps
    /// that read the same but for a date (and where an event was read): the schedule's previous
    /// event, its event, and the step of its last interval (`+ 1 month`), rendered around the date.
    ///
    /// A rendered step is kept with what tells the step it stands for (its label, and path), and
    /// written only for a step equal to it (the steps of the rule's events and previous event are
    /// equal by how they are made: their labels are the rule's schedule's, and only a debug build
    /// compares them); its bytes are the ones `ReportJSON.writeStep` writes
    /// for that step, made by it. All the parts lie in one run of bytes, one after another, with
    /// where each ends: passed for every finding written, the rule's fields count one reference
    /// and are copied in a few words (with a reference, or a range, for each part, they counted
    /// some fifteen more and were copied seven times a finding).
    struct RuleFields: Sendable {
        /// The parts, one after another.
        let bytes: [UInt8]
        /// Where each part ends in `bytes` (by `Part`; an absent part is empty).
        private let ends: SIMD16<Int32>
        /// The run's as-of date, which `Part.asOfStep` gives.
        private let asOf: LocalDate
        /// The interval whose step is rendered around its date (`Part.shiftOpen`), if any.
        private let shiftInterval: Duration?

        /// The parts of `bytes`, in order. `…Open`: a step's bytes before its date, the date itself
        /// written for each step; the previous event's and the event's steps then end with where
        /// the event was read, and the interval's with `shiftClose`. `shiftKind`: one byte, how the
        /// interval's step is counted (`ShiftKind`).
        private enum Part: Int {
            case id, text, asOfStep, eventLabel, noEventStep, openEndLabel, openEndPath, openEndStep
            case previousLabel, previousOpen, eventOpen, shiftLabel, shiftCalendar, shiftKind, shiftOpen, shiftClose
        }

        /// How the step of the interval rendered around its date is counted: what, beside its
        /// label, its workings depend on.
        private enum ShiftKind: UInt8 {
            case calendarArithmetic, workingDays, workingDaysFromNextDay, workingDaysStartDayIsDayOne

            init(calendar: String?, counting: DayCounting?) {
                switch (calendar, counting) {
                case (nil, _): self = .calendarArithmetic
                case (_, nil): self = .workingDays
                case (_, .fromNextDay?): self = .workingDaysFromNextDay
                case (_, .startDayIsDayOne?): self = .workingDaysStartDayIsDayOne
                }
            }
        }

        /// `rule`'s fields and steps, rendered by `json` for a run as of `asOf`.
        init(_ rule: CheckedRule, asOf: LocalDate, json: ReportJSON) {
            var bytes: [UInt8] = []
            var ends = SIMD16<Int32>()
            func add(_ part: Part, _ piece: [UInt8]) {
                bytes += piece
                ends[part.rawValue] = Int32(bytes.count)
            }
            func rendered(_ e: TraceEvent) -> [UInt8] {
                var w = JSONWriter()
                withUnsafePointer(to: e) { json.writeStep($0, &w) }
                return w.bytes
            }
            add(.id, JSONWriter.renderedFields { $0.field("rule", rule.id) })
            add(.text, JSONWriter.renderedFields { w in
                w.field("title", rule.title)
                w.field("kind", rule.kind)
                w.field("source", rule.source)
            })
            add(.asOfStep, rendered(.asOf(asOf)))
            var noEvent: EventStep?
            var openEnd: (label: String, path: String)?
            var shift: TraceEvent?
            var shiftDuration: Duration?
            var previousLabel: String?
            if case .schedule(let s) = rule.form {
                noEvent = EventStep(label: s.events.label, date: nil, path: .text(EventStep.noLaterEvent))
                if let until = s.until, let path = until.fixedPath?.text { openEnd = (until.label, path) }
                previousLabel = s.previousLabel
                // The last interval: the one a schedule repeats.
                if let last = s.alternative?.every ?? s.intervals.last {
                    shift = s.stepEvent(Shifted(date: RuleFields.sample, duration: last, skipped: [], clamped: false), rule: rule)
                    shiftDuration = last
                }
            }
            add(.eventLabel, noEvent.map { Array($0.label.utf8) } ?? [])
            add(.noEventStep, noEvent.map { rendered($0.fact) } ?? [])
            add(.openEndLabel, openEnd.map { Array($0.label.utf8) } ?? [])
            add(.openEndPath, openEnd.map { Array($0.path.utf8) } ?? [])
            add(.openEndStep, openEnd.map { rendered(.fact(label: $0.label, value: .absent, path: $0.path)) } ?? [])
            /// The bytes before the date of an event's step labelled `label` read from a path given
            /// by its parts, when it ends as such a step must (`,"from":` and the path).
            func eventOpen(_ label: String?) -> [UInt8] {
                guard let label else { return [] }
                var w = JSONWriter()
                json.writeStep(EventStep(label: label, date: RuleFields.sample, path: .item(list: "", index: -1, field: nil)), &w)
                guard let (open, close) = RuleFields.cut(w.bytes), close == Array(#","from":""}"#.utf8) else { return [] }
                return open
            }
            add(.previousLabel, previousLabel.map { Array($0.utf8) } ?? [])
            add(.previousOpen, eventOpen(previousLabel))
            add(.eventOpen, eventOpen(noEvent?.label))
            var shiftParts: (label: String, calendar: String, kind: ShiftKind, open: [UInt8], close: [UInt8])?
            if let shift, case .shift(let label, _, let calendar, _, _, let counting) = shift,
                let (open, close) = RuleFields.cut(rendered(shift))
            {
                shiftParts = (label, calendar ?? "", ShiftKind(calendar: calendar, counting: counting), open, close)
            }
            shiftInterval = shiftParts == nil ? nil : shiftDuration
            add(.shiftLabel, shiftParts.map { Array($0.label.utf8) } ?? [])
            add(.shiftCalendar, shiftParts.map { Array($0.calendar.utf8) } ?? [])
            add(.shiftKind, shiftParts.map { [$0.kind.rawValue] } ?? [])
            add(.shiftOpen, shiftParts?.open ?? [])
            add(.shiftClose, shiftParts?.close ?? [])
            self.bytes = bytes
            self.ends = ends
            self.asOf = asOf
        }

        @inline(__always) private func range(_ p: Part) -> Range<Int> {
            (p.rawValue == 0 ? 0 : Int(ends[p.rawValue - 1]))..<Int(ends[p.rawValue])
        }

        /// Writes a finding's fields before its workings into the object `w` is writing, as
        /// `ReportJSON.writeHead` writes them field by field for a finding of a case (not of a
        /// group): the rule's id, the case, item and occurrence, the outcome, dates and amounts,
        /// and the rule's title, kind and source; in one piece, with one check of the buffer's
        /// room (field by field, the head of a finding cost more than its workings' steps did).
        func writeHead(caseID: String, item: String?, occurrence: Int?, outcome: Outcome, due: LocalDate?, done: LocalDate?,
            lateBy: Amount?, timeLeft: Amount?, _ w: inout JSONWriter)
        {
            let id = range(.id)
            let text = range(.text)
            // (An amount's object as `JSONWriter.object(_:_:_:plain:)` writes it, its unit's name
            // at most 12 bytes.)
            let amountBound = JSONWriter.objectBound("amount", "unit", plain: "working days")
            var bound = id.count + text.count + 1 + 8 + JSONWriter.quotedBound(caseID)
            if let item { bound += 8 + JSONWriter.quotedBound(item) }
            bound += 14 + ByteBuffer.decimalBound + 11 + 2 + outcome.json.utf8CodeUnitCount + 2 * (8 + LocalDate.quotedISOBound)
            bound += 2 * (13 + amountBound)
            bytes.withUnsafeBufferPointer { b in
                w.fields(atMost: bound) { p, months in
                    var at = JSONWriter.copy(UnsafeBufferPointer(rebasing: b[id]), to: p)
                    @inline(__always) func key(_ k: StaticString) { at += JSONWriter.writeNextKey(k, to: p + at) }
                    @inline(__always) func amount(_ k: StaticString, _ a: Amount) {
                        key(k)
                        at += JSONWriter.writeObject("amount", a.amount, "unit", plain: a.unit.json, to: p + at)
                    }
                    key("case")
                    at += JSONWriter.writeQuoted(caseID, to: p + at)
                    if let item {
                        key("item")
                        at += JSONWriter.writeQuoted(item, to: p + at)
                    }
                    if let occurrence {
                        key("occurrence")
                        at += ByteBuffer.writeDecimal(occurrence, to: p + at)
                    }
                    key("outcome")
                    at += JSONWriter.writeQuoted(plain: outcome.json, to: p + at)
                    if let due {
                        key("due")
                        at += due.writeQuotedISO(to: p + at, months: months)
                    }
                    if let done {
                        key("done")
                        at += done.writeQuotedISO(to: p + at, months: months)
                    }
                    if let lateBy { amount("late_by", lateBy) }
                    if let timeLeft { amount("time_left", timeLeft) }
                    p[at] = 0x2C
                    return at + 1 + JSONWriter.copy(UnsafeBufferPointer(rebasing: b[text]), to: p + at + 1)
                }
            }
        }

        /// Writes the id's field (`first`) or the others into the object `w` is writing.
        func write(first: Bool, _ w: inout JSONWriter) {
            write(first ? .id : .text, &w)
        }

        /// Writes `part` into the object or array `w` is writing.
        @inline(__always) private func write(_ part: Part, _ w: inout JSONWriter) {
            let r = range(part)
            bytes.withUnsafeBufferPointer { w.fields(rendered: UnsafeBufferPointer(rebasing: $0[r])) }
        }

        /// Writes the step of an occurrence's event (`event`, or that there is none) rendered,
        /// when it is the step for no event, or the step of an event read from a list (`schedule`'s
        /// `list`); false otherwise.
        @inline(__always) func writeRendered(event: ScheduleEvent?, of schedule: ScheduleWorkings, _ w: inout JSONWriter) -> Bool {
            assert(range(.eventLabel).isEmpty || holds(schedule.eventsLabel, at: .eventLabel), "the workings of another rule")
            if let event { return writeAround(event, of: schedule, open: .eventOpen, &w) }
            guard !range(.noEventStep).isEmpty else { return false }
            write(.noEventStep, &w)
            return true
        }

        /// Writes the step of the previous event rendered around its date, when it is read from
        /// a list (`schedule`'s `list`); false otherwise.
        @inline(__always) func writeRendered(previous: ScheduleEvent, of schedule: ScheduleWorkings, _ w: inout JSONWriter) -> Bool {
            assert(range(.previousLabel).isEmpty || holds(schedule.previousLabel, at: .previousLabel), "the workings of another rule")
            return writeAround(previous, of: schedule, open: .previousOpen, &w)
        }

        /// Writes the step of `event` from `open`, its date and the parts of its path; false when
        /// it was not read from a list. (Its label is not compared with the one `open` was
        /// rendered with: a schedule's workings name its events and its previous event by the
        /// names this rule's steps were rendered with, and reading a name from them counted a
        /// reference to it, for every finding.)
        @inline(__always) private func writeAround(_ event: ScheduleEvent, of schedule: ScheduleWorkings, open: Part,
            _ w: inout JSONWriter) -> Bool
        {
            guard !range(open).isEmpty else { return false }
            let r = range(open)
            let written: Void? = bytes.withUnsafeBufferPointer { b in
                schedule.withList { l, f in
                    w.value(open: UnsafeBufferPointer(rebasing: b[r]), date: event.date, fromList: l, index: event.index, field: f)
                }
            }
            return written != nil
        }

        /// Writes `e` rendered around its date, when it is the step of the schedule's last
        /// interval (`+ 1 month`), skipping no holiday and with no day clamped; false otherwise.
        @inline(__always) func writeRendered(shift e: UnsafePointer<TraceEvent>, _ w: inout JSONWriter) -> Bool {
            guard rendersShift(e), case .shift(_, let date, _, _, _, _) = e.pointee else { return false }
            let open = range(.shiftOpen)
            let close = range(.shiftClose)
            bytes.withUnsafeBufferPointer { b in
                w.value(open: UnsafeBufferPointer(rebasing: b[open]), date: date, close: UnsafeBufferPointer(rebasing: b[close]))
            }
            return true
        }

        /// Writes the step of the interval `s` rendered around its date, when it is the step of the
        /// schedule's last interval, skipping no holiday and with no day clamped (the step its trace
        /// event, `Shifted.event`, would be, for this rule: its name and calendar are the rule's
        /// schedule's for that interval); false otherwise.
        @inline(__always) func writeRendered(_ s: Shifted, _ w: inout JSONWriter) -> Bool {
            guard let shiftInterval, s.duration == shiftInterval, s.skipped.isEmpty, s.duration.unit == .workingDays || !s.clamped
            else { return false }
            let open = range(.shiftOpen)
            let close = range(.shiftClose)
            bytes.withUnsafeBufferPointer { b in
                w.value(open: UnsafeBufferPointer(rebasing: b[open]), date: s.date, close: UnsafeBufferPointer(rebasing: b[close]))
            }
            return true
        }

        /// Whether `e` is the step of the interval rendered around its date.
        func rendersShift(_ e: UnsafePointer<TraceEvent>) -> Bool {
            guard !range(.shiftOpen).isEmpty, case .shift(let label, _, let calendar, let skipped, let clamped, let counting) = e.pointee
            else { return false }
            return skipped.isEmpty && !clamped && bytes[range(.shiftKind).lowerBound] == ShiftKind(calendar: calendar, counting: counting).rawValue
                && holds(label, at: .shiftLabel) && holds(calendar ?? "", at: .shiftCalendar)
        }

        /// The date steps are rendered with, to be cut out of them (any date would do).
        private static let sample = LocalDate(dayNumber: 0)

        /// `step`, a step rendered with the date `sample` as its value, cut around the date: the
        /// bytes before it and after it; nil when it is not where a step's value stands.
        private static func cut(_ step: [UInt8]) -> (open: [UInt8], close: [UInt8])? {
            // The first `,"value":` is where the value begins: no `"` in the label before it,
            // escaped, follows a comma.
            let key = Array(#","value":"#.utf8)
            guard step.count >= key.count, let at = (0...(step.count - key.count)).first(where: { step[$0..<($0 + key.count)].elementsEqual(key) })
            else { return nil }
            let start = at + key.count
            var date = [UInt8](repeating: 0, count: LocalDate.quotedISOBound)
            let n = date.withUnsafeMutableBufferPointer { sample.writeQuotedISO(to: $0.baseAddress!) }
            guard step.count >= start + n, step[start..<(start + n)].elementsEqual(date[..<n]) else { return nil }
            return (Array(step[..<start]), Array(step[(start + n)...]))
        }

        /// Writes the step for the period's end not recorded, rendered, when `schedule`'s end is
        /// so and is read from the path of `until` made when compiled (the path it was rendered
        /// with, as is its label: both are the rule's schedule's); false otherwise. (Written from
        /// the schedule's parts, without making its fact. Any other end, recorded or read from
        /// a path made as the case is read, is not the step rendered.)
        @inline(__always) func writeRenderedOpenEnd(of schedule: ScheduleWorkings, _ w: inout JSONWriter) -> Bool {
            guard !range(.openEndStep).isEmpty, schedule.endIsOpenAtFixedPath else { return false }
            assert(schedule.endFact.map { e in withUnsafePointer(to: e) { writesRendered($0) } } ?? false, "the workings of another rule")
            write(.openEndStep, &w)
            return true
        }

        /// Whether `e` is the step for the period's end not recorded, rendered beforehand.
        private func writesRendered(_ e: UnsafePointer<TraceEvent>) -> Bool {
            guard case .fact(let label, .absent, let path) = e.pointee else { return false }
            return holds(path, at: .openEndPath) && holds(label, at: .openEndLabel)
        }

        /// Writes the as-of step of `date` rendered, when it is the run's as-of date; false otherwise.
        @inline(__always) func writeRendered(asOf date: LocalDate, _ w: inout JSONWriter) -> Bool {
            guard date == asOf else { return false }
            write(.asOfStep, &w)
            return true
        }

        /// Whether `part` holds the UTF-8 of `s`.
        @inline(__always) private func holds(_ s: String, at part: Part) -> Bool {
            let r = range(part)
            guard s.utf8.count == r.count else { return false }
            return bytes.withUnsafeBufferPointer { b in
                s.utf8.withContiguousStorageIfAvailable { sameBytes($0.baseAddress!, b.baseAddress! + r.lowerBound, count: r.count) }
                    ?? s.utf8.elementsEqual(b[r])
            }
        }
    }
}
