/// Where the evaluation of one snapshot puts its findings: kept ones in full, and (in a
/// streaming run that only counts the others) the rest as tallies by outcome, so that no
/// `Finding` is made for them at all.
struct FindingSink {
    /// Findings kept in full, in order.
    var findings: [Finding] = []
    /// Findings only counted, by `Outcome.index`.
    var tallies = SIMD8<Int>()
    /// Which findings are kept (the others carry no workings out).
    let explaining: FindingFilter
    /// When true, findings `explaining` does not keep are only counted.
    let tallyOnly: Bool

    init(explaining: FindingFilter = .all, tallyOnly: Bool = false) {
        self.explaining = explaining
        self.tallyOnly = tallyOnly
    }

    /// Adds a finding with this outcome, made by `make` only if it is kept.
    @inline(__always)
    mutating func add(_ outcome: Outcome, _ make: () -> Finding) {
        if tallyOnly, !explaining.keeps(outcome) {
            tallies[outcome.index] += 1
        } else {
            findings.append(make())
        }
    }

    /// A point to roll back to (see `rollBack(to:)`).
    var mark: (count: Int, tallies: SIMD8<Int>) { (findings.count, tallies) }

    /// Whether anything added since `mark` is kept and needs its workings out.
    func keepsAny(since mark: (count: Int, tallies: SIMD8<Int>)) -> Bool {
        findings[mark.count...].contains { explaining.keeps($0) }
    }

    /// Forgets everything added since `mark`.
    mutating func rollBack(to mark: (count: Int, tallies: SIMD8<Int>)) {
        findings.removeSubrange(mark.count...)
        tallies = mark.tallies
    }

    /// Empties the sink for the next rule, keeping its storage.
    mutating func reset() {
        findings.removeAll(keepingCapacity: true)
        tallies = SIMD8<Int>()
    }
}
