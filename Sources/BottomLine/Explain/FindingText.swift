/// Stage 5b: findings → English for people. Every date is printed with its weekday, every step
/// with where it came from, so a reader can check the result by hand.
public struct FindingText: Sendable {
    public init() {}

    /// The headline, title, source, workings and conclusion of one finding.
    public func render(_ f: Finding) -> String {
        var lines: [String] = []
        var subject = "case \(f.caseID)"
        if let label = f.itemLabel { subject += ", \(label)" }
        if f.group != nil { subject = f.itemLabel ?? "" }
        if let k = f.occurrence { subject += ", occurrence \(k)" }
        lines.append("\(f.outcome.rawValue.uppercased().replacingOccurrences(of: "_", with: " "))  \(f.rule)  \(subject)")
        lines.append("  \(f.title)")
        lines.append("  \(f.source)")
        let workings = f.workings
        let stepWidth = min(40, max(20, (workings.map { $0.step.count }.max() ?? 0) + 2))
        for s in workings {
            let value = humanDate(s.value)
            var from = s.from
            if let note = s.note { from += "; \(note)" }
            lines.append("  " + pad(s.step, stepWidth) + pad(value, 18) + from)
        }
        lines.append("  " + conclusion(f))
        if let l = f.location { lines.append("  (case read from \(l.file), line \(l.line))") }
        return lines.joined(separator: "\n")
    }

    /// One sentence saying what the outcome means for this finding.
    public func conclusion(_ f: Finding) -> String {
        func d(_ date: LocalDate?) -> String { date?.longDescription ?? "?" }
        func amount(_ a: Amount?) -> String { a.map { $0.unit.describe($0.amount) } ?? "?" }
        switch f.outcome {
        case .met:
            if let done = f.done { return "done \(d(done)), on or before the due date \(d(f.due))" }
            if let v = f.value, let l = f.limit { return "requirement met: \(formatNumber(v)) against a limit of \(formatNumber(l))" }
            return "requirement met"
        case .breached:
            if let done = f.done { return "done \(amount(f.lateBy)) late: due \(d(f.due)), done \(d(done))" }
            if f.due != nil { return "not done by the due date \(d(f.due)), and the period has ended" }
            if let v = f.value, let l = f.limit { return "requirement not met: \(formatNumber(v)) against a limit of \(formatNumber(l))" }
            return "requirement not met"
        case .overdue: return "not done: due \(d(f.due)), \(amount(f.lateBy)) overdue at the as-of date"
        case .dueSoon: return "not done yet: due \(d(f.due)), \(amount(f.timeLeft)) left, inside the warning window"
        case .pending: return "not done yet: due \(d(f.due)), \(amount(f.timeLeft)) left"
        case .notApplicable: return "does not apply to this case"
        case .incomplete: return "cannot decide: \(f.reason ?? "data missing")"
        }
    }

    private func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s + "  " : s + String(repeating: " ", count: n - s.count)
    }

    /// `2019-03-04` → `Mon 4 Mar 2019`; anything else unchanged.
    private func humanDate(_ s: String) -> String {
        guard s.utf8.count == 10, let d = LocalDate(iso: s) else { return s }
        return d.longDescription
    }
}
