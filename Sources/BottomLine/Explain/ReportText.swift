/// Renders a report for people: a heading with the as-of date and counts, the findings that need
/// action first (overdue, breached, due soon, incomplete, then the rest), rejected snapshots with
/// file, line and reason, and a summary of counts by outcome and by rule.
public struct ReportText: Sendable {
    public init() {}

    public func render(_ r: Report, show: FindingFilter = .actionable) -> String {
        let shown = r.findings.enumerated()
            .filter { show.keeps($0.element) }
            .sorted { ($0.element.outcome.displayRank, $0.offset) < ($1.element.outcome.displayRank, $1.offset) }
            .map(\.element)
        var out = "BottomLine check as of \(r.asOf.longDescription)\n"
        out += "\(plural(r.casesRead, "case")) read, \(r.casesRejected) rejected, \(plural(r.findings.count, "finding"))"
        switch show {
        case .actionable: out += "; showing the \(shown.count) that need action\n\n"
        case .counts: out += "; counts only\n\n"
        case .all: out += "\n\n"
        }
        let text = FindingText()
        for f in shown { out += text.render(f) + "\n\n" }
        if !r.rejected.isEmpty {
            out += "Rejected snapshots (not evaluated):\n"
            for x in r.rejected {
                out += "  \(x.location.file):\(x.line):\(x.column)"
                if let id = x.caseID { out += "  case \(id)" }
                out += "  \(x.message)\n"
                if let h = x.help { out += "      help: \(h)\n" }
            }
            out += "\n"
        }
        out += "Summary: " + summary(r.totals()) + "\n"
        let counts = r.counts()
        let width = (counts.map { $0.rule.count }.max() ?? 0) + 2
        for (rule, outcomes) in counts {
            out += "  " + rule + String(repeating: " ", count: width - rule.count) + summary(outcomes) + "\n"
        }
        return out
    }

    func summary(_ counts: [Outcome: Int]) -> String {
        let order = Outcome.allCases.sorted { $0.displayRank < $1.displayRank }
        let parts = order.compactMap { o -> String? in
            guard let n = counts[o], n > 0 else { return nil }
            return "\(n) \(o.rawValue.replacingOccurrences(of: "_", with: " "))"
        }
        return parts.isEmpty ? "no findings" : parts.joined(separator: ", ")
    }

    func plural(_ n: Int, _ w: String) -> String { "\(n) \(w)\(n == 1 ? "" : "s")" }
}
