/// Judges a recurring or scheduled rule for one case or item: one finding per required
/// occurrence, in date order. Occurrence 1 is due an interval after the start; occurrence k an
/// interval after the event that met occurrence k−1 (its actual date, as the regulations count).
/// Every event after the previous one meets the next occurrence, on time (`met`) or late
/// (`breached`); the open occurrence at the as-of date is `pending`, `due_soon` or `overdue`.
/// Nothing is due after the period ends (`until`).
struct ScheduleJudge {
    let rule: CheckedRule
    let schedule: CompiledSchedule
    let subject: FindingSubject

    mutating func run(_ ev: inout ExpressionEvaluator, into out: inout [Finding]) {
        let baseTrace = ev.trace
        let start = ev.eval(schedule.from)
        guard case .date(let startDate) = start.value else { return out.append(subject.incomplete(ev)) }
        let startTrace = ev.trace
        var end: LocalDate?
        var endPath = "not recorded"
        if let until = schedule.until {
            ev.probing += 1
            ev.quiet += 1
            let u = ev.eval(until)
            if case .date(let d) = u.value { end = d }
            endPath = u.path?.text ?? endPath
            ev.probing -= 1
            ev.quiet -= 1
        }
        var useAlternative = false
        var threshold: LocalDate?
        if let alt = schedule.alternative {
            if let after = alt.after, case .success(let t) = shiftDate(after, from: startDate, rule: rule, listSkipped: false) { threshold = t.date }
            if let afterDate = alt.afterDate {
                guard case .date(let t) = ev.eval(afterDate).value else { return out.append(subject.incomplete(ev)) }
                threshold = t
            }
        }
        var conditionTrace: [TraceEvent] = []
        if let alt = schedule.alternative, let when = alt.when {
            ev.quiet += 1
            let verdict = ev.truth(ev.eval(when))
            ev.quiet -= 1
            // The other interval applies only when its condition is known to hold: when it cannot be
            // decided (not recorded), the usual interval applies, and the workings say so.
            useAlternative = verdict == true
            conditionTrace.append(.condition(label: when.label, result: verdict))
        } else if schedule.alternative != nil {
            useAlternative = true
        }
        let afterTrace = ev.trace
        // The events: dates on or before the as-of date, in date order (later ones have not happened yet).
        let events = ev.evalList(schedule.events)
            .compactMap { e -> (LocalDate, PathNode?)? in
                guard case .date(let d) = e.value, d <= ev.asOf else { return nil }
                return (d, e.path)
            }
            .sorted { $0.0 < $1.0 }
        conditionTrace += Array(ev.trace[afterTrace.count...])  // items a `where` could not decide
        let endFact: [TraceEvent] = schedule.until.map { u in
            [.fact(label: u.label, value: end.map(Value.date) ?? .absent, path: endPath)]
        } ?? []

        var anchor = startDate
        var anchorTrace = startTrace
        var next = 0
        var k = 1
        while true {
            let interval = intervalFor(k, anchor: anchor, threshold: useAlternative ? threshold : nil)
            var occurrence = ev
            if ev.tracing { occurrence.trace = anchorTrace }
            let due: LocalDate
            switch shiftDate(interval, from: anchor, rule: rule, listSkipped: ev.tracing) {
            case .success(let shifted):
                due = shifted.date
                occurrence.record(shifted.event(rule))
            case .failure(let err):
                occurrence.calendarProblem = err
                occurrence.record(.calendarProblem(err))
                return out.append(subject.incomplete(occurrence, occurrence: k))
            }
            if let end, due > end {
                // Nothing is due after the period ends; if it ended before anything was due, the
                // rule did not apply to this period at all.
                if k == 1 {
                    if ev.tracing { occurrence.trace += endFact }
                    out.append(subject.make(.notApplicable, occurrence.trace, due: due))
                }
                return
            }
            while next < events.count, events[next].0 <= anchor { next += 1 }
            if next < events.count {
                let (date, node) = events[next]
                let label = schedule.events.label
                func path() -> String { node?.text ?? label }
                if ev.tracing {
                    occurrence.record(.fact(label: label, value: .date(date), path: path()))
                    occurrence.trace += conditionTrace
                }
                out.append(judgeDeadline(rule, &occurrence, subject, due: due, done: date, warn: schedule.warn, occurrence: k))
                anchor = date
                if ev.tracing {
                    anchorTrace = baseTrace + [.fact(label: "previous \(label)", value: .date(date), path: path())]
                }
                next += 1
                k += 1
                continue
            }
            if ev.tracing {
                occurrence.record(.fact(label: schedule.events.label, value: .absent, path: "no later event recorded"))
                occurrence.trace += conditionTrace + endFact
            }
            out.append(judgeDeadline(rule, &occurrence, subject, due: due, done: nil, warn: schedule.warn, occurrence: k, periodEnded: end))
            return
        }
    }

    /// The interval for occurrence `k`: the schedule's k-th (the last repeats), or the alternative
    /// once the occurrence is counted from a date on or after the threshold.
    func intervalFor(_ k: Int, anchor: LocalDate, threshold: LocalDate?) -> Duration {
        if let threshold, let alt = schedule.alternative, anchor >= threshold { return alt.every }
        return schedule.intervals[min(k - 1, schedule.intervals.count - 1)]
    }
}
