/// Judges a recurring or scheduled rule for one case or item: one finding per required
/// occurrence, in date order. Occurrence 1 is due an interval after the start; occurrence k an
/// interval after the event that met occurrence k−1 (its actual date, as the regulations count).
/// Every event after the previous one meets the next occurrence, on time (`met`) or late
/// (`breached`); the open occurrence at the as-of date is `pending`, `due_soon` or `overdue`.
/// Nothing is due after the period ends (`until`).
///
/// A method of the schedule, with the rule and subject as arguments: a judge that kept them (a
/// value made for each case and item) counted a reference to each every time.
extension CompiledSchedule {
    /// Judges every occurrence of `rule`'s schedule (this one) for `subject`.
    func judge(_ rule: CheckedRule, _ ev: inout ExpressionEvaluator, subject: FindingSubject, into out: inout FindingSink) {
        let schedule = self
        // (Kept only when tracing: the fast pass makes no workings, and a copy counts a reference;
        // and only when there is something to keep: a copy of the evaluator's empty trace shared its
        // room, and the start's fact, added next, then copied it to room of its own.)
        let baseTrace = ev.tracing && !ev.trace.isEmpty ? ev.trace : []
        // (The schedule's parts without counting references to them: see `unretained`.)
        let parts = unretained
        // Traced, the start is read without recording its workings when not every finding is shown:
        // only the first occurrence's finding shows them (and then they are recorded, reading it
        // again: `recordStart`), where recording them for every judging counted their names, and
        // let them go again. When every finding is shown, the first occurrence's is too.
        let startLater = ev.tracing && subject.explaining != .all
        let startQuiet = ev.quiet
        if startLater { ev.quiet += 1 }
        let start = parts.from._withUnsafeGuaranteedRef { ev.evalDate($0) }
        if startLater { ev.quiet -= 1 }
        let startTo = ev.trace.count
        guard let startDate = start else {
            // What was not recorded, with its workings.
            if startLater { _ = parts.from._withUnsafeGuaranteedRef { ev.evalDate($0) } }
            return out.add(.incomplete) { subject.incomplete(ev) }
        }
        var end: LocalDate?
        /// Where the period's end was read, for the workings; nil: the path of `until`, a field of
        /// fields of the case, made once when compiled.
        var endPath: String? = "not recorded"
        if let until = parts.until {
            until._withUnsafeGuaranteedRef { until in
                // Traced, a period's end whose path is made once when compiled is named by it (what
                // `pathText` gives, read from the schedule when written), and its date read
                // without the path.
                if ev.tracing, until.unretainedFixedPath != nil {
                    end = ev.evalDateQuietly(until)
                    endPath = nil
                    return
                }
                let u = ev.evalQuietly(until)
                if case .date(let d) = u.value { end = d }
                // (Only workings name it: a fast pass makes none.)
                if ev.tracing, let text = ev.pathText(until, u) { endPath = text }
            }
        }
        // A period with no end recorded always finishes with an open occurrence (pending, due soon
        // or overdue): when those findings are kept, a fast pass need only notice one, and the
        // traced pass that follows judges every occurrence.
        if end == nil, out.noticeOpenOccurrence() { return }
        var useAlternative = false
        var threshold: LocalDate?
        if let alt = schedule.alternative {
            if let after = alt.after, case .success(let t) = shiftDate(after, from: startDate, rule: rule, listSkipped: false, months: ev.months) { threshold = t.date }
            if let afterDate = alt.afterDate {
                guard let t = ev.evalDate(afterDate) else { return out.add(.incomplete) { subject.incomplete(ev) } }
                threshold = t
            }
        }
        var conditionTrace: [TraceEvent] = []
        if let alt = schedule.alternative, let when = alt.when {
            ev.quiet += 1
            let verdict = ev.evalTruth(when)
            ev.quiet -= 1
            // The other interval applies only when its condition is known to hold: when it cannot be
            // decided (not recorded), the usual interval applies, and the workings say so.
            useAlternative = verdict == true
            conditionTrace.append(.condition(label: when.label, result: verdict))
        } else if schedule.alternative != nil {
            useAlternative = true
        }
        let afterCount = ev.trace.count
        // The events: dates on or before the as-of date, in date order (later ones have not happened yet).
        // (The evaluator's list, emptied: its room is kept from one schedule to the next.)
        let events = ev.scheduleEvents
        events.removeAll()
        var inOrder = true
        let asOf = ev.asOf
        var fromList = false
        var listPath: ValuePath?
        /// Without a plan: where each event was read (an event's `index` is its place here).
        var nodes: [ValuePath?] = []
        if let plan = parts.eventsPlan {
            (fromList, listPath, inOrder) = plan._withUnsafeGuaranteedRef { $0.read(&ev, asOf: asOf, into: events) }
        } else {
            ev.forEachItem(schedule.events) { _, e in
                guard case .date(let d) = e.value, d <= asOf else { return }
                if let last = events.last, last.date > d { inOrder = false }
                events.append(ScheduleEvent(date: d, index: nodes.count))
                nodes.append(e.path)
            }
        }
        if !inOrder { events.sortByDate() }
        // Items a `where` could not decide (only traced: nothing is recorded otherwise).
        if ev.trace.count > afterCount { conditionTrace += ev.trace[afterCount...] }
        // (Only workings name it: a fast pass makes no list for it.)
        // (Its parts, not its fact: made for every traced judging, the fact counted a reference to
        // its name and its path; it is made from them only for workings that are not rendered.)
        let endParts: ScheduleWorkings.End? = !ev.tracing || schedule.until == nil ? nil : ScheduleWorkings.End(date: end, path: endPath)

        // (The list's path is named by its text made when compiled, read from the schedule, when
        // there is one.)
        var listText: String?
        if ev.tracing, let listPath, parts.eventsPlan.map({ $0._withUnsafeGuaranteedRef { $0.list.unretainedFixedPath == nil } }) ?? false {
            listText = listPath.text
        }
        // The start's workings, when recorded at once: the evaluator's trace up to them (itself when
        // nothing was recorded after them: shared, not copied).
        let startTrace = !ev.tracing || startLater ? nil : startTo == ev.trace.count ? ev.trace : Array(ev.trace[..<startTo])
        // When tracing, what the workings of every occurrence share, made once with its parts moved
        // into it (made when first needed, from copies of them, it counted a reference to each,
        // and freed each again, for every judging that showed a finding); none in a fast pass.
        let shared: ScheduleWorkings? = !ev.tracing ? nil : ScheduleWorkings.make(reusing: &ev.spareWorkings,
            startTrace: consume startTrace, baseTrace: consume baseTrace, conditions: consume conditionTrace,
            end: consume endParts, schedule: schedule, fromList: fromList, listText: consume listText,
            nodes: consume nodes)
        // (Handed back when the judging is over, for the next to make again in place.)
        defer { if let shared { ev.spareWorkings = shared } }

        var anchor = startDate
        var anchorEvent: ScheduleEvent?
        var next = 0
        var k = 1
        /// Records the workings of the start in `shared` (tracing), for the first occurrence's
        /// finding: the start read again, traced, the events it records taken back out of `ev`.
        func recordStart() {
            guard let shared, !shared.recordsStart else { return }
            let (mark, quiet) = (ev.trace.count, ev.quiet)
            ev.quiet = startQuiet
            _ = parts.from._withUnsafeGuaranteedRef { ev.evalDate($0) }
            ev.quiet = quiet
            shared.recordStart(shared.baseTrace + ev.trace[mark...])
            // (The evaluator's trace as it was: the start's events are the workings' alone.)
            ev.trace.removeSubrange(mark...)
        }
        /// Where occurrence `k` is counted from, as trace events (tracing): the start, or the previous event.
        func appendAnchorTrace(to t: inout [TraceEvent]) {
            guard let shared else { return }
            if k == 1 {
                recordStart()
                t += shared.startTrace
            } else {
                t += shared.baseTrace
                t.append(shared.previousStep(date: anchor, event: anchorEvent).fact)
            }
        }
        /// The workings of one occurrence that are its own (see `OccurrenceSteps`), made only for
        /// findings that are shown; `asOf` for an open one; `shift`, the interval's step (nil for a
        /// streaming run, which writes it from its parts).
        func steps(shift: TraceEvent?, event: ScheduleEvent?, asOf: LocalDate?) -> OccurrenceSteps {
            // (A later occurrence is counted from the event that met the one before: `anchorEvent`.)
            return OccurrenceSteps(first: k == 1, previous: k == 1 ? nil : anchorEvent, shift: shift, event: event, asOf: asOf)
        }
        /// Judges one occurrence; its workings are made only if the finding is kept.
        func judge(_ due: LocalDate, _ interval: Duration, event: ScheduleEvent?) {
            guard ev.tracing else {
                // The fast pass: nothing is traced, so `ev` itself can judge.
                return judgeDeadline(rule, &ev, subject, due: due, done: event?.date, warn: schedule.warn, occurrence: k,
                    periodEnded: event == nil ? end : nil, into: &out)
            }
            let outcome = deadlineOutcome(rule, asOf: ev.asOf, due: due, done: event?.date, warn: schedule.warn, periodEnded: event == nil ? end : nil)
            guard subject.explaining.keeps(outcome) else {
                return out.add(outcome) { subject.make(outcome, [], due: due, done: event?.date, occurrence: k) }
            }
            keep(outcome, due, interval, event: event)
        }
        /// Adds the finding of an occurrence that is kept, with its workings. (Out of line: the
        /// judging of every other occurrence, inlined into the walk, stays small.)
        @inline(never) func keep(_ outcome: Outcome, _ due: LocalDate, _ interval: Duration, event: ScheduleEvent?) {
            // An open occurrence is judged against the as-of date: the workings say so. (Made
            // here, not in the closure that makes the finding: a nested function called from a
            // closure has every variable it captures checked for exclusive access at run time.)
            let asOf = ev.asOf
            if k == 1 { recordStart() }
            let stepAsOf = outcome.isOpen && ev.quiet == 0 ? asOf : nil
            // The interval's step, its holidays listed.
            var shifted: Shifted?
            if case .success(let s) = shiftDate(interval, from: anchor, rule: rule, listSkipped: true, months: ev.months) { shifted = s }
            let occurrence = k
            let periodEnded = event == nil ? end : nil
            // (Kept only when tracing, when `shared` is made.)
            guard let shared else { return }
            // A streaming run writes the finding at once, from its parts, without making it (nor
            // the interval's trace event, unless its step is not the one rendered for the rule).
            let direct = steps(shift: nil, event: event, asOf: stepAsOf)
            let written = out.writeDirectly(outcome) { writer, index in
                let amounts = DeadlineAmounts(rule, outcome, asOf: asOf, due: due, done: event?.date, periodEnded: periodEnded)
                writer.writeOccurrence(ruleIndex: index, subject, outcome, due: due, amounts, occurrence: occurrence, direct, shifted: shifted,
                    of: shared)
            }
            if written { return }
            let own = steps(shift: shifted.map { schedule.stepEvent($0, rule: rule) }, event: event, asOf: stepAsOf)
            let trace = FindingTrace.occurrence(OccurrenceWorkings(shared, own))
            out.add(outcome) {
                deadlineFinding(rule, subject, outcome, asOf: asOf, due: due, done: event?.date, occurrence: occurrence,
                    periodEnded: periodEnded, trace: trace)
            }
        }
        while true {
            let interval = intervalFor(k, anchor: anchor, threshold: useAlternative ? threshold : nil)
            let due: LocalDate
            if let d = shiftedDate(interval, from: anchor, rule: rule, months: ev.months) {
                due = d
            } else {
                switch shiftDate(interval, from: anchor, rule: rule, listSkipped: false, months: ev.months) {
                case .success(let shifted): due = shifted.date
                case .failure(let err):
                    var occurrence = ev
                    occurrence.trace = []
                    appendAnchorTrace(to: &occurrence.trace)
                    occurrence.calendarProblem = err
                    occurrence.record(.calendarProblem(err))
                    return out.add(.incomplete) { subject.incomplete(occurrence, occurrence: k) }
                }
            }
            if let end, due > end {
                // Nothing is due after the period ends; if it ended before anything was due, the
                // rule did not apply to this period at all.
                if k == 1 {
                    var occurrence = ev
                    if let shared {
                        recordStart()
                        occurrence.trace = shared.startTrace
                        if let endFact = shared.endFact { occurrence.trace.append(endFact) }
                    }
                    out.add(.notApplicable) { subject.make(.notApplicable, occurrence.trace, due: due) }
                }
                return
            }
            while next < events.count, events[next].date <= anchor { next += 1 }
            if next < events.count {
                let event = events[next]
                judge(due, interval, event: event)
                // A fast pass that has noticed a finding to keep can stop: the traced pass that
                // follows judges every occurrence again (see `FindingSink.deferKept`).
                if out.deferKept, out.noticedKept { return }
                anchor = event.date
                anchorEvent = event
                next += 1
                k += 1
                continue
            }
            judge(due, interval, event: nil)
            return
        }
    }

    /// Whether the period certainly has no end recorded in `caseRecord`: `until` is a field of the
    /// case (reached by its route) that is absent. False whenever that cannot be told this way.
    func periodCertainlyOpen(inCase caseRecord: RecordValue) -> Bool {
        guard let until = unretained.until else { return false }
        return until._withUnsafeGuaranteedRef { ExpressionEvaluator.certainlyNoItems($0, inCase: caseRecord) }
    }

    /// As `periodCertainlyOpen(inCase:)`, for a schedule of each item of a list: `until` is a field
    /// of the item (`plan.end`, the item the rule's `for each` names) that is absent in `item`.
    func periodCertainlyOpen(inItem item: Value) -> Bool {
        guard let until = unretained.until, case .record(let record) = item else { return false }
        let route = until._withUnsafeGuaranteedRef { $0.route }
        guard route.from == 0, route.first >= 0 else { return false }
        return ExpressionEvaluator.certainlyNoItems(route, in: record)
    }

    /// The interval for occurrence `k`: the schedule's k-th (the last repeats), or the alternative
    /// once the occurrence is counted from a date on or after the threshold.
    @inline(__always)
    func intervalFor(_ k: Int, anchor: LocalDate, threshold: LocalDate?) -> Duration {
        if let threshold, let alt = alternative, anchor >= threshold { return alt.every }
        return intervals[min(k - 1, intervals.count - 1)]
    }
}

/// An event that can meet an occurrence: its date, and where it was read (for the workings):
/// its position in the list of a `ScheduleEventsPlan` (-1: the list's only value), or without a
/// plan, in the schedule's list of the events' paths. Plain data, so that a list of events is
/// made and freed without counting references.
struct ScheduleEvent {
    let date: LocalDate
    let index: Int
}
