/// Stage 5a: trace events → workings steps (what, value, from, note). The same steps feed the
/// JSON output and the English text, so the two can never disagree.
public func explain(_ trace: [TraceEvent]) -> [WorkingsStep] {
    trace.map(step)
}

/// A value as it appears in workings: dates in ISO form, `yes`/`no`, `not recorded`.
func display(_ v: Value) -> String {
    switch v {
    case .absent: return "not recorded"
    case .text(let s): return s
    case .number(let n): return formatNumber(n)
    case .bool(let b): return b ? "yes" : "no"
    case .date(let d): return d.description
    case .list(let items): return "\(items.count) item\(items.count == 1 ? "" : "s")"
    case .record: return "recorded"
    }
}

func display(_ v: ParamValue) -> String {
    switch v {
    case .number(let n): return formatNumber(n)
    case .text(let s): return s
    case .bool(let b): return b ? "yes" : "no"
    case .date(let d): return d.description
    case .duration(let d): return d.description
    }
}

private func step(_ e: TraceEvent) -> WorkingsStep {
    switch e {
    case .fact(let label, let value, let path):
        return WorkingsStep(step: label, value: display(value), from: path)
    case .param(let name, let value, let from, let location, let note):
        var notes: [String] = []
        if let from { notes.append("value in force from \(from)") }
        if let note { notes.append(note) }
        return WorkingsStep(step: name, value: display(value), from: "param \(name) (\(location))",
            note: notes.isEmpty ? nil : notes.joined(separator: "; "))
    case .shift(let label, let result, let calendar, let skipped, let clamped, let counting):
        if let calendar {
            var note = skipped.isEmpty ? "no holidays in range"
                : "skipped " + skipped.map { "\($0.name) (\($0.date))" }.joined(separator: ", ")
            switch counting {
            case .startDayIsDayOne?: note += "; the start day counts as day 1"
            default: note += "; counting from the next day"
            }
            return WorkingsStep(step: label, value: result.description, from: "calendar \(calendar)", note: note)
        }
        return WorkingsStep(step: label, value: result.description, from: "calendar arithmetic",
            note: clamped ? "no such day in that month, so its last day is used" : nil)
    case .aggregate(let label, let value, let path, let items):
        return WorkingsStep(step: label, value: display(value), from: path ?? "no items",
            note: "\(items) item\(items == 1 ? "" : "s") considered")
    case .undecided(let label, let paths):
        return WorkingsStep(step: "left out of \(label)", value: "\(paths.count) item\(paths.count == 1 ? "" : "s")",
            from: paths.joined(separator: ", "), note: "a field the condition needs is not recorded")
    case .condition(let label, let result):
        return WorkingsStep(step: label, value: result.map { $0 ? "yes" : "no" } ?? "cannot tell", from: "rule")
    case .count(let label, let value, let unit, let calendar):
        return WorkingsStep(step: label, value: unit.describe(value), from: calendar.map { "calendar \($0)" } ?? "calendar arithmetic")
    case .asOf(let d):
        return WorkingsStep(step: "as of", value: d.description, from: "the as-of date of this run")
    case .calendarProblem(let err):
        if case .outOfRange(let name, _, _) = err {
            return WorkingsStep(step: "working days", value: "cannot be counted", from: "calendar \(name)", note: err.message)
        }
        return WorkingsStep(step: "working days", value: "cannot be counted", from: "calendar", note: err.message)
    }
}
