/// The date calculator behind `bottomline date`: the same arithmetic rules use, with workings.
public struct DateCalculation: Equatable, Sendable {
    /// The answer alone: a date, or a whole number for `between`.
    public let result: String
    public let workings: [WorkingsStep]
}

/// What went wrong in a date calculation.
public struct DateCalculationError: Error, Equatable, Sendable {
    public let message: String
    public let help: String?
}

public enum DateCalculator {
    /// `date (+|-) n unit` by the semantics of Grammar.md.
    public static func add(_ date: LocalDate, _ n: Int, _ unit: DurationUnit, calendar: WorkingCalendar?,
        counting: DayCounting = .fromNextDay) -> Result<DateCalculation, DateCalculationError>
    {
        var steps = [WorkingsStep(step: "start", value: date.description, from: "given")]
        let label = "\(n < 0 ? "-" : "+") \(unit.describe(abs(n)))"
        let trace: TraceEvent
        switch unit {
        case .days, .weeks:
            let r = date.adding(days: unit == .weeks ? 7 * n : n)
            trace = .shift(label: label, result: r, calendar: nil, skipped: [], clamped: false, counting: nil)
        case .months, .years:
            let (r, clamped) = date.adding(months: unit == .years ? 12 * n : n)
            trace = .shift(label: label, result: r, calendar: nil, skipped: [], clamped: clamped, counting: nil)
        case .workingDays:
            guard let calendar else {
                return .failure(DateCalculationError(message: "working days need a calendar", help: "name one with `--calendar england-and-wales`"))
            }
            switch calendar.add(n, workingDaysTo: date, counting: counting) {
            case .success(let s):
                trace = .shift(label: label, result: s.date, calendar: calendar.name, skipped: s.skippedHolidays, clamped: false, counting: counting)
            case .failure(let e):
                return .failure(DateCalculationError(message: e.message, help: "add that year's holidays to the calendar file and extend its `covers` line"))
            }
        }
        steps += explain([trace])
        guard case .shift(_, let result, _, _, _, _) = trace else { fatalError("unreachable") }
        return .success(DateCalculation(result: result.description, workings: steps))
    }

    /// The number of `unit`s from `a` to `b`: working days in (a, b], or calendar days, or whole
    /// weeks/months.
    public static func between(_ a: LocalDate, _ b: LocalDate, _ unit: DurationUnit, calendar: WorkingCalendar?)
        -> Result<DateCalculation, DateCalculationError>
    {
        var steps = [
            WorkingsStep(step: "from", value: a.description, from: "given"),
            WorkingsStep(step: "to", value: b.description, from: "given"),
        ]
        let n: Int
        switch unit {
        case .workingDays:
            guard let calendar else {
                return .failure(DateCalculationError(message: "working days need a calendar", help: "name one with `--calendar england-and-wales`"))
            }
            switch calendar.workingDays(from: a, to: b) {
            case .success(let c): n = c
            case .failure(let e):
                return .failure(DateCalculationError(message: e.message, help: "add that year's holidays to the calendar file and extend its `covers` line"))
            }
            let (lo, hi) = a <= b ? (a.adding(days: 1), b) : (b.adding(days: 1), a)
            let skipped = calendar.holidaysBetween(lo, hi)
            steps.append(WorkingsStep(step: "working days", value: String(n), from: "calendar \(calendar.name)",
                note: "counted after the first date up to and including the second; "
                    + (skipped.isEmpty ? "no holidays in range" : "skipped " + skipped.map { "\($0.name) (\($0.date))" }.joined(separator: ", "))))
        case .days:
            n = a.days(to: b)
            steps.append(WorkingsStep(step: "days", value: String(n), from: "calendar arithmetic"))
        case .weeks:
            n = a.days(to: b) / 7
            steps.append(WorkingsStep(step: "whole weeks", value: String(n), from: "calendar arithmetic"))
        case .months, .years:
            var m = (b.year - a.year) * 12 + (b.month - a.month)
            if m > 0 && a.adding(months: m).date > b { m -= 1 }
            if m < 0 && a.adding(months: m).date < b { m += 1 }
            n = unit == .years ? m / 12 : m
            steps.append(WorkingsStep(step: "whole \(unit.rawValue)", value: String(n), from: "calendar arithmetic"))
        }
        return .success(DateCalculation(result: String(n), workings: steps))
    }

    /// Text: the answer on the first line, then the workings.
    public static func text(_ c: DateCalculation) -> String {
        var out = c.result + "\n"
        for s in c.workings {
            let value = LocalDate(iso: s.value)?.longDescription ?? s.value
            var line = "  " + s.step.padding(toLength: max(s.step.count + 2, 20), withPad: " ", startingAt: 0)
            line += value.padding(toLength: max(value.count + 2, 18), withPad: " ", startingAt: 0) + s.from
            if let n = s.note { line += "; \(n)" }
            out += line + "\n"
        }
        return out
    }

    /// JSON: `{"result": "...", "workings": [...]}`.
    public static func json(_ c: DateCalculation) -> String {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.field("result", c.result)
        w.key("workings")
        w.beginArray()
        for s in c.workings {
            w.beginObject()
            w.field("step", s.step)
            w.field("value", s.value)
            w.field("from", s.from)
            w.optionalField("note", s.note)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.string + "\n"
    }
}
