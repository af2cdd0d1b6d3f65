/// Workings steps that read the same in every finding of a rule that has them, rendered once
/// as compact JSON for a streaming run: the as-of step of an open occurrence (the run's as-of
/// date), a schedule's step for an occurrence no event has met yet, and its step for a period
/// whose end is not recorded. An open occurrence's workings end with all three, and writing them
/// word by word cost more than the rest of its finding.
///
/// Each is kept with the step it stands for, and written only for a step equal to it: the bytes
/// are the ones `ReportJSON.writeStep` writes for that step, made by it.
struct RenderedSteps: Sendable {
    /// The as-of step of the run's as-of date.
    let asOf: (date: LocalDate, bytes: [UInt8])
    /// A schedule's step for "no later event recorded": its label.
    let noEvent: (label: String, bytes: [UInt8])?
    /// A schedule's step for a period end that is not recorded, read from a fixed path
    /// (`case.closure_date`): its label and path.
    let openEnd: (label: String, path: String, bytes: [UInt8])?

    init(_ rule: CheckedRule, asOf: LocalDate, json: ReportJSON) {
        func rendered(_ e: TraceEvent) -> [UInt8] {
            var w = JSONWriter()
            withUnsafePointer(to: e) { json.writeStep($0, &w) }
            return w.bytes
        }
        self.asOf = (asOf, rendered(.asOf(asOf)))
        guard case .schedule(let s) = rule.form else {
            noEvent = nil
            openEnd = nil
            return
        }
        let none = EventStep(label: s.events.label, date: nil, path: .text(EventStep.noLaterEvent))
        noEvent = (none.label, rendered(none.fact))
        if let until = s.until, let path = until.fixedPath?.text {
            openEnd = (until.label, path, rendered(.fact(label: until.label, value: .absent, path: path)))
        } else {
            openEnd = nil
        }
    }

    /// The bytes of `step` when it is the step for no event, or nil.
    @inline(__always) func bytes(for step: EventStep) -> [UInt8]? {
        guard step.date == nil, let noEvent, case .text(let path) = step.path, path == EventStep.noLaterEvent,
            step.label == noEvent.label
        else { return nil }
        return noEvent.bytes
    }

    /// The bytes of `e` when it is the step for the period's end not recorded, or nil.
    @inline(__always) func bytes(for e: TraceEvent) -> [UInt8]? {
        guard let openEnd, case .fact(let label, .absent, let path) = e, path == openEnd.path, label == openEnd.label
        else { return nil }
        return openEnd.bytes
    }
}
