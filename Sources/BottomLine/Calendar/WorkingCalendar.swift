/// How a rule counts working days from an anchor date.
public enum DayCounting: String, Sendable, Hashable, Codable {
    /// The default: the anchor day is never counted; `D + n working days` is the n-th working
    /// day strictly after D.
    case fromNextDay = "from the next day"
    /// The anchor day counts as day 1 when it is a working day (as the DfE Children in Need
    /// census counts "within 45 working days").
    case startDayIsDayOne = "start day is day 1"
}

/// A holiday in a calendar: its date and its name.
public struct Holiday: Hashable, Sendable {
    public let date: LocalDate
    public let name: String
    public init(date: LocalDate, name: String) {
        self.date = date
        self.name = name
    }
}

/// Why working-day arithmetic could not give an answer.
public enum CalendarError: Error, Equatable, Sendable {
    /// The arithmetic needed a date outside the calendar's covered range.
    case outOfRange(calendar: String, needed: LocalDate, covers: ClosedRange<LocalDate>)

    /// One line for people: which calendar, which year is missing.
    public var message: String {
        switch self {
        case .outOfRange(let name, let needed, let covers):
            return
                "calendar `\(name)` covers \(covers.lowerBound) to \(covers.upperBound) and has no holidays for \(needed.year)"
        }
    }
}

/// The result of adding working days: the date, and the holidays skipped on the way.
public struct WorkingDayStep: Equatable, Sendable {
    public let date: LocalDate
    public let skippedHolidays: [Holiday]
}

/// A named calendar of working days: weekend days, holidays and the date range it covers.
///
/// Arithmetic uses a table of working days built once, so adding n working days is two array
/// look-ups. Any calculation that needs a date outside `covers` fails with
/// `CalendarError.outOfRange` rather than guessing.
public struct WorkingCalendar: Sendable, Equatable {
    public let name: String
    /// ISO weekdays (1 = Monday … 7 = Sunday) that are not working days.
    public let weekend: Set<Int>
    /// Holidays in date order.
    public let holidays: [Holiday]
    public let covers: ClosedRange<LocalDate>

    private let holidayNames: [LocalDate: String]
    /// Working days in `covers`, ascending.
    private let workingDays: [Int32]
    /// For each day in `covers` (by offset from its start), the number of working days up to and
    /// including that day.
    private let countThrough: [Int32]

    public init(name: String, weekend: Set<Int>, holidays: [Holiday], covers: ClosedRange<LocalDate>) {
        self.name = name
        self.weekend = weekend
        self.holidays = holidays.sorted { $0.date < $1.date }
        self.covers = covers
        var names: [LocalDate: String] = [:]
        for h in holidays { names[h.date] = h.name }
        self.holidayNames = names
        var working: [Int32] = []
        var through: [Int32] = []
        var count: Int32 = 0
        var d = covers.lowerBound.dayNumber
        while d <= covers.upperBound.dayNumber {
            let date = LocalDate(dayNumber: d)
            if !weekend.contains(date.weekday) && names[date] == nil {
                working.append(d)
                count += 1
            }
            through.append(count)
            d += 1
        }
        self.workingDays = working
        self.countThrough = through
    }

    public static func == (a: WorkingCalendar, b: WorkingCalendar) -> Bool {
        a.name == b.name && a.weekend == b.weekend && a.holidays == b.holidays && a.covers == b.covers
    }

    /// Whether `date` is a working day; `nil` outside the covered range.
    public func isWorkingDay(_ date: LocalDate) -> Bool? {
        guard covers.contains(date) else { return nil }
        return !weekend.contains(date.weekday) && holidayNames[date] == nil
    }

    /// The holiday's name if `date` is a holiday of this calendar.
    public func holidayName(_ date: LocalDate) -> String? { holidayNames[date] }

    /// `date + n working days` by the semantics of Grammar.md: for n ≥ 1 the n-th working day
    /// strictly after `date` (or, with `.startDayIsDayOne`, counting `date` itself as day 1 when
    /// it is a working day); n = 0 gives `date`; negative n counts backwards the same way.
    public func add(_ n: Int, workingDaysTo date: LocalDate, counting: DayCounting = .fromNextDay, listSkipped: Bool = true)
        -> Result<WorkingDayStep, CalendarError>
    {
        if n == 0 { return .success(WorkingDayStep(date: date, skippedHolidays: [])) }
        guard let result = self.date(adding: n, workingDaysTo: date, counting: counting) else {
            let anchor = WorkingCalendar.anchor(n, date, counting)
            guard covers.contains(anchor) else { return .failure(outOfRange(anchor)) }
            let needed = n > 0 ? covers.upperBound.adding(days: 1) : covers.lowerBound.adding(days: -1)
            return .failure(outOfRange(needed))
        }
        guard listSkipped else { return .success(WorkingDayStep(date: result, skippedHolidays: [])) }
        let lo = min(date, result)
        let hi = max(date, result)
        let skipped = holidaysBetween(lo, hi)
        return .success(WorkingDayStep(date: result, skippedHolidays: skipped))
    }

    /// `date + n working days` as `add` gives it, when only the date is wanted: table look-ups,
    /// no allocation. `nil` when the calendar does not cover the count (`add` says why).
    @inline(__always)
    public func date(adding n: Int, workingDaysTo date: LocalDate, counting: DayCounting = .fromNextDay) -> LocalDate? {
        if n == 0 { return date }
        let anchor = WorkingCalendar.anchor(n, date, counting)
        guard covers.contains(anchor) else { return nil }
        let offset = Int(anchor.dayNumber - covers.lowerBound.dayNumber)
        let through = Int(countThrough[offset])  // working days ≤ anchor
        let index: Int
        if n > 0 {
            index = through + n - 1
        } else {
            // Working days strictly before anchor: through minus one if anchor itself is working.
            let anchorIsWorking = offset > 0 ? countThrough[offset] != countThrough[offset - 1] : (isWorkingDay(anchor) ?? false)
            index = through - (anchorIsWorking ? 1 : 0) + n
        }
        guard index >= 0, index < workingDays.count else { return nil }
        return LocalDate(dayNumber: workingDays[index])
    }

    /// The day counting starts from: `date` itself, or, when the start day counts as day 1, the
    /// day before it (the day after, counting back).
    @inline(__always)
    private static func anchor(_ n: Int, _ date: LocalDate, _ counting: DayCounting) -> LocalDate {
        counting == .startDayIsDayOne ? date.adding(days: n > 0 ? -1 : 1) : date
    }

    /// The number of working days in the half-open range (a, b]; negative when b is before a.
    public func workingDays(from a: LocalDate, to b: LocalDate) -> Result<Int, CalendarError> {
        guard covers.contains(a) else { return .failure(outOfRange(a)) }
        guard covers.contains(b) else { return .failure(outOfRange(b)) }
        let ca = Int(countThrough[Int(a.dayNumber - covers.lowerBound.dayNumber)])
        let cb = Int(countThrough[Int(b.dayNumber - covers.lowerBound.dayNumber)])
        return .success(cb - ca)
    }

    /// Holidays falling on a weekday that is otherwise a working day, within [lo, hi].
    public func holidaysBetween(_ lo: LocalDate, _ hi: LocalDate) -> [Holiday] {
        var out: [Holiday] = []
        var i = lowerBoundIndex(lo)
        while i < holidays.count, holidays[i].date <= hi {
            if !weekend.contains(holidays[i].date.weekday) { out.append(holidays[i]) }
            i += 1
        }
        return out
    }

    private func lowerBoundIndex(_ date: LocalDate) -> Int {
        var lo = 0
        var hi = holidays.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if holidays[mid].date < date { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private func outOfRange(_ needed: LocalDate) -> CalendarError {
        .outOfRange(calendar: name, needed: needed, covers: covers)
    }
}
