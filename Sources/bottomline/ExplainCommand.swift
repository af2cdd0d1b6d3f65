import BottomLine
import Foundation

/// `bottomline explain --rule ID --case ID INPUT...`.
enum ExplainCommand {
    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: ["--as-of", "--rules", "--format", "--rule", "--case", "--item", "--group"])
        if args.wantsHelp {
            Terminal.out(Help.explain)
            return 0
        }
        let format = try args.format(["text", "json"], default: "text")
        guard let ruleID = args.options["--rule"], args.options["--case"] != nil || args.options["--group"] != nil else {
            throw UsageError("`explain` needs `--rule ID` and `--case ID` (or `--group VALUE` for a rule across cases)",
                help: "for example `--rule icpc-timescale --case C-1042`, or `--rule caseload --group SW-30`")
        }
        let caseID = args.options["--case"] ?? ""
        let group = args.options["--group"]
        let asOf = try args.asOf(today: Terminal.today())
        let rules = try Inputs.rules(args)
        let ruleIDs = (rules.program?.rules ?? []).map { $0.id }
        guard ruleIDs.contains(ruleID) else {
            let near = ruleIDs.min { editDistanceCLI($0, ruleID) < editDistanceCLI($1, ruleID) }
            throw UsageError("there is no rule `\(ruleID)`", help: near.map { "did you mean `\($0)`?" })
        }
        let report = rules.evaluate(inputs: try Inputs.read(args.positional), asOf: asOf)
        let matches = report.findings.filter { f in
            let inGroup = group.map { f.group?.value == $0 } ?? (f.caseID == caseID)
            return f.rule == ruleID && inGroup && (args.options["--item"] == nil || f.item == args.options["--item"])
        }
        if matches.isEmpty, let group {
            let groups = report.findings.filter { $0.rule == ruleID }.compactMap { $0.group?.value }
            let near = groups.min { editDistanceCLI($0, group) < editDistanceCLI($1, group) }
            throw UsageError("no finding of `\(ruleID)` for group `\(group)` in the input", help: near.map { "did you mean `\($0)`?" })
        }
        guard !matches.isEmpty else {
            let cases = Set(report.findings.map(\.caseID)).sorted()
            let near = cases.min { editDistanceCLI($0, caseID) < editDistanceCLI($1, caseID) }
            throw UsageError("no finding of `\(ruleID)` for case `\(caseID)`\(args.options["--item"].map { " item `\($0)`" } ?? "") in the input",
                help: near.map { "did you mean case `\($0)`?" } ?? "check the case id and the input files")
        }
        if format == "json" {
            Terminal.out(matches.map { ReportJSON().render($0) }.joined())
        } else {
            Terminal.out("as of \(asOf.longDescription)\n\n" + matches.map { FindingText().render($0) }.joined(separator: "\n\n") + "\n")
        }
        return 0
    }
}
