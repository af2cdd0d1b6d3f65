import BottomLine
import Foundation

/// `bottomline check --as-of DATE INPUT...`.
enum CheckCommand {
    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: ["--as-of", "--rules", "--format", "--show", "--fail-on"])
        if args.wantsHelp {
            Terminal.out(Help.check)
            return 0
        }
        let format = try args.format(["text", "json", "ndjson"], default: "text")
        let asOf = try args.asOf(today: Terminal.today())
        let show: FindingFilter
        switch args.options["--show"] {
        case nil: show = format == "text" ? .actionable : .all
        case "actionable"?: show = .actionable
        case "all"?: show = .all
        case let s?: throw UsageError("`--show \(s)` is not an option", help: "use `--show actionable` or `--show all`")
        }
        var failOn: Set<Outcome> = []
        for name in (args.options["--fail-on"] ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let o = Outcome(rawValue: name.replacingOccurrences(of: "-", with: "_")) else {
                throw UsageError("`\(name)` is not an outcome", help: "outcomes are \(Outcome.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            failOn.insert(o)
        }
        let rules = try Inputs.rules(args)
        let inputs = try Inputs.read(args.positional)
        let report = rules.evaluate(inputs: inputs, asOf: asOf)
        switch format {
        case "json": Terminal.out(ReportJSON().render(report, show: show))
        case "ndjson": Terminal.out(ReportJSON().renderNDJSON(report, show: show))
        default: Terminal.out(ReportText().render(report, show: show))
        }
        return report.findings.contains { failOn.contains($0.outcome) } ? 1 : 0
    }
}
