/// What the evaluator did, as structured data. `Explain` turns these into workings out; the
/// evaluator never writes English sentences itself.
public enum TraceEvent: Equatable, Sendable {
    /// A value read from the snapshot (`absent` when not recorded).
    case fact(label: String, value: Value, path: String)
    /// A param's value in force at the as-of date.
    case param(name: String, value: ParamValue, from: LocalDate?, location: String, note: String?)
    /// Date arithmetic: `+ 15 working days` giving `result`.
    case shift(label: String, result: LocalDate, calendar: String?, skipped: [Holiday], clamped: Bool, counting: DayCounting?)
    /// An aggregate over a list: its value, the element chosen (for earliest/latest), how many items.
    case aggregate(label: String, value: Value, path: String?, items: Int)
    /// Items a `where` left out because the condition could not be decided.
    case undecided(label: String, paths: [String])
    /// A comparison or condition and its result (`nil` when it could not be decided).
    case condition(label: String, result: Bool?)
    /// Day counting between two dates.
    case count(label: String, value: Int, unit: DurationUnit, calendar: String?)
    /// The as-of date the judgement was made at.
    case asOf(LocalDate)
    /// A calendar could not answer.
    case calendarProblem(CalendarError)
    /// Cases a rule across cases could not place in a group: how many, the first few (`shown`),
    /// and the fields not recorded.
    case casesLeftOut(count: Int, shown: String, missing: [String])
}
