/// Stage 5a: trace events → workings steps (what, value, from, note). The same steps feed the
/// JSON output and the English text, so the two can never disagree.
public func explain(_ trace: [TraceEvent]) -> [WorkingsStep] {
    trace.map { e in
        let p = StepParts(e)
        return WorkingsStep(step: p.step, value: p.value.text, from: p.from, note: p.note)
    }
}

/// A workings step's value: words, or a date (which a writer of JSON writes in place, without
/// making a string for it).
enum StepValue {
    case text(String)
    case date(LocalDate)

    var text: String {
        switch self {
        case .text(let s): return s
        case .date(let d): return d.description
        }
    }
}

/// One trace event worded as a workings step: what was computed, its value, where it came
/// from, and a note. The one place the wording is decided, for `explain` and for JSON alike.
struct StepParts {
    let step: String
    let value: StepValue
    let from: String
    let note: String?

    init(step: String, value: StepValue, from: String, note: String? = nil) {
        self.step = step
        self.value = value
        self.from = from
        self.note = note
    }
}

/// A value in workings: dates as dates (see `StepValue`), the rest as `display` words them.
private func stepValue(_ v: Value) -> StepValue {
    if case .date(let d) = v { return .date(d) }
    return .text(display(v))
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

/// The notes of a working-day step: how days were counted, and, for most steps, that no holiday
/// fell in the range (joined once, not for every step written).
private enum ShiftNotes {
    static let noHolidays = "no holidays in range"
    static let startDayCounts = "; the start day counts as day 1"
    static let fromNextDay = "; counting from the next day"
    static let noHolidaysStartDayCounts = noHolidays + startDayCounts
    static let noHolidaysFromNextDay = noHolidays + fromNextDay
}

extension StepParts {
    /// How `e` reads as a step of the workings out.
    init(_ e: TraceEvent) {
        self = StepParts.word(e) { StepParts(step: $0, value: $1, from: $2, note: $3) }
    }

    /// Words `e` as a step (what, value, from, note) and hands the parts to `body`, lent rather
    /// than copied into a `StepParts`: a writer of JSON writes some five steps a finding.
    @inline(__always)
    static func word<R>(_ e: borrowing TraceEvent, _ body: (_ step: String, _ value: StepValue, _ from: String, _ note: String?) -> R) -> R {
        withUnsafePointer(to: e) { word($0, body) }
    }

    /// What a step worked out with a calendar is from: this, then the calendar's name.
    static let calendarPrefix = "calendar "

    /// The note of a working-day step that skipped no holiday.
    static func noHolidaysNote(_ counting: DayCounting?) -> String {
        counting == .startDayIsDayOne ? ShiftNotes.noHolidaysStartDayCounts : ShiftNotes.noHolidaysFromNextDay
    }

    /// How a working-day step counted, at the end of its note (`; counting from the next day`).
    static func countedNote(_ counting: DayCounting?) -> String {
        counting == .startDayIsDayOne ? ShiftNotes.startDayCounts : ShiftNotes.fromNextDay
    }

    /// How the note of a working-day step that skipped holidays begins.
    static let skippedPrefix = "skipped "

    /// The note of a working-day step that skipped `skipped` (not empty): `skipped Good Friday
    /// (2019-04-19), Easter Monday (2019-04-22); counting from the next day`.
    static func skippedNote(_ skipped: [Holiday], _ counting: DayCounting?) -> String {
        skippedPrefix + skipped.map { "\($0.name) (\($0.date))" }.joined(separator: ", ") + countedNote(counting)
    }

    /// As `word(_:_:)`, for the event `e` points to (read where it lies, not copied out).
    @inline(__always)
    static func word<R>(_ e: UnsafePointer<TraceEvent>, _ body: (_ step: String, _ value: StepValue, _ from: String, _ note: String?) -> R) -> R {
        switch e.pointee {
        case .fact(let label, let value, let path):
            return body(label, stepValue(value), path, nil)
        case .param(let name, let value, let from, let location, let note):
            var notes: [String] = []
            if let from { notes.append("value in force from \(from)") }
            if let note { notes.append(note) }
            return body(name, .text(display(value)), "param \(name) (\(location))",
                notes.isEmpty ? nil : notes.joined(separator: "; "))
        case .shift(let label, let result, let calendar, let skipped, let clamped, let counting):
            if let calendar {
                // Most steps skip no holiday: their notes are made once (see `ShiftNotes`).
                let note = !skipped.isEmpty ? skippedNote(skipped, counting) : noHolidaysNote(counting)
                return body(label, .date(result), calendarPrefix + calendar, note)
            } else {
                return body(label, .date(result), "calendar arithmetic",
                    clamped ? "no such day in that month, so its last day is used" : nil)
            }
        case .aggregate(let label, let value, let path, let items):
            return body(label, stepValue(value), path ?? "no items",
                "\(items) item\(items == 1 ? "" : "s") considered")
        case .undecided(let label, let paths):
            return body("left out of \(label)", .text("\(paths.count) item\(paths.count == 1 ? "" : "s")"),
                paths.joined(separator: ", "), "a field the condition needs is not recorded")
        case .condition(let label, let result):
            return body(label, .text(result.map { $0 ? "yes" : "no" } ?? "cannot tell"), "rule", nil)
        case .count(let label, let value, let unit, let calendar):
            return body(label, .text(unit.describe(value)), calendar.map { "calendar \($0)" } ?? "calendar arithmetic", nil)
        case .asOf(let d):
            return body("as of", .date(d), "the as-of date of this run", nil)
        case .calendarProblem(let err):
            if case .outOfRange(let name, _, _) = err {
                return body("working days", .text("cannot be counted"), "calendar \(name)", err.message)
            } else {
                return body("working days", .text("cannot be counted"), "calendar", err.message)
            }
        case .casesLeftOut(let count, let shown, let missing):
            return body("cases left out", .text(String(count)), shown,
                "not recorded: " + missing.map { "`\($0)`" }.joined(separator: ", "))
        }
    }
}
