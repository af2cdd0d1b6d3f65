import BottomLine
import Foundation

/// `bottomline date DATE (+|-) N UNIT` and `bottomline date between DATE DATE`.
enum DateCommand {
    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: ["--calendar", "--rules", "--format", "--unit", "--counting"])
        if args.wantsHelp {
            Terminal.out(Help.date)
            return 0
        }
        let format = try args.format(["text", "json"], default: "text")
        let p = args.positional
        func date(_ s: String) throws -> LocalDate {
            guard let d = LocalDate(iso: s) else {
                throw UsageError("`\(s)` is not a date", help: "write dates as YYYY-MM-DD, for example `2019-03-04`")
            }
            return d
        }
        let result: Result<DateCalculation, DateCalculationError>
        if p.first == "between" {
            guard p.count == 3 else { throw UsageError("write `bottomline date between DATE DATE`") }
            let unit = try parseUnit((args.options["--unit"] ?? "working-days").replacingOccurrences(of: "-", with: " "))
            result = DateCalculator.between(try date(p[1]), try date(p[2]), unit,
                calendar: unit == .workingDays ? try calendar(args) : nil)
        } else {
            guard p.count >= 4, p[1] == "+" || p[1] == "-", let n = Int(p[2]) else {
                throw UsageError("write `bottomline date DATE + N UNIT`", help: "for example `bottomline date 2019-03-04 + 15 working days`")
            }
            let unit = try parseUnit(p[3...].joined(separator: " "))
            var counting = DayCounting.fromNextDay
            if let c = args.options["--counting"] {
                guard c == "start-day" || c == "next-day" else {
                    throw UsageError("`--counting \(c)` is not an option", help: "use `--counting start-day` or `--counting next-day`")
                }
                if c == "start-day" { counting = .startDayIsDayOne }
            }
            result = DateCalculator.add(try date(p[0]), p[1] == "-" ? -n : n, unit,
                calendar: unit == .workingDays ? try calendar(args) : nil, counting: counting)
        }
        switch result {
        case .success(let c):
            Terminal.out(format == "json" ? DateCalculator.json(c) : DateCalculator.text(c))
            return 0
        case .failure(let e):
            throw UsageError(e.message, help: e.help)
        }
    }

    static func parseUnit(_ s: String) throws -> DurationUnit {
        switch s {
        case "day", "days": return .days
        case "week", "weeks": return .weeks
        case "month", "months": return .months
        case "year", "years": return .years
        case "working day", "working days": return .workingDays
        default:
            throw UsageError("`\(s)` is not a unit", help: "use days, weeks, months, years or working days")
        }
    }

    static func calendar(_ args: Arguments) throws -> WorkingCalendar {
        let name = args.options["--calendar"] ?? "england-and-wales"
        let rules = try Inputs.rules(args)
        guard let c = rules.program?.calendars[name] else {
            let names = rules.program?.calendars.keys.sorted() ?? []
            throw UsageError("there is no calendar `\(name)`", help: names.isEmpty ? "add a calendar file to the rules folder" : "the calendars are \(names.joined(separator: ", "))")
        }
        return c
    }
}
