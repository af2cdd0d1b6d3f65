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
    /// In a fast pass, findings that would be kept are not made, only noticed (`noticedKept`):
    /// they are made again, with their workings, by a traced pass.
    var deferKept = false
    /// A finding that would be kept was added while `deferKept` was on.
    var noticedKept = false
    /// Where the snapshot being evaluated was read, given to its `incomplete` findings: set once
    /// a snapshot (a subject made for every rule that carried it counted a reference each time).
    /// Kept as its parts, the file's name set only when it changes: set whole for every snapshot,
    /// the name was counted as a reference, and the previous one let go.
    var location: SnapshotLocation? {
        get { locationFile.map { SnapshotLocation(file: $0, line: locationLine, index: locationIndex) } }
        set {
            guard let newValue else { return locationFile = nil }
            if locationFile != newValue.file { locationFile = newValue.file }
            locationLine = newValue.line
            locationIndex = newValue.index
        }
    }
    private var locationFile: String?
    private var locationLine = 0
    private var locationIndex = 0
    /// In a streaming run, where findings that would be kept are written at once instead, and
    /// only counted here (in `tallies`, with the others): see `FindingWriter`. Not counted (the
    /// run that sets it holds it for as long as the sink is used). Set only with `tallyOnly`: a
    /// fast pass then makes no finding it keeps (it only notices one, see `deferKept`), so nothing
    /// written is ever rolled back (`rollBack(to:)`).
    var direct: Unmanaged<FindingWriter>?
    /// With `direct`: the index of the rule being evaluated (in the program), whose findings it writes.
    var ruleIndex = 0

    init(explaining: FindingFilter = .all, tallyOnly: Bool = false) {
        self.explaining = explaining
        self.tallyOnly = tallyOnly
    }

    /// Adds a finding with this outcome, made by `make` only if it is kept.
    @inline(__always)
    mutating func add(_ outcome: Outcome, _ make: () -> Finding) {
        if tallyOnly, !explaining.keeps(outcome) {
            tallies.increment(lane: outcome.index)
        } else if deferKept, explaining.keeps(outcome) {
            noticedKept = true
        } else {
            keep(make())
        }
    }

    /// Keeps a finding made by `add`: written at once in a streaming run (`direct`), where it
    /// is counted in `tallies`; otherwise added to `findings`. (Out of line: `add` is inlined into
    /// every judge, and with both ways in it the judging of a deadline was no longer inlined
    /// into a schedule's fast pass.)
    @inline(never)
    private mutating func keep(_ made: consuming Finding) {
        var f = made
        if f.outcome == .incomplete { f.location = location }
        guard let direct else { return findings.append(f) }
        tallies.increment(lane: f.outcome.index)
        let ruleIndex = ruleIndex
        direct._withUnsafeGuaranteedRef { $0.write(&f, ruleIndex: ruleIndex) }
    }

    /// In a streaming run (`direct`), counts a finding with this outcome and lets `write` write
    /// it, at once, into the run's `FindingWriter` (with the rule's index); false, doing nothing,
    /// otherwise (the finding is then to be made and added). For a finding that would be kept,
    /// outside a fast pass.
    @inline(__always)
    mutating func writeDirectly(_ outcome: Outcome, _ write: (FindingWriter, Int) -> Void) -> Bool {
        guard let direct else { return false }
        tallies.increment(lane: outcome.index)
        let ruleIndex = ruleIndex
        direct._withUnsafeGuaranteedRef { write($0, ruleIndex) }
        return true
    }

    /// In a fast pass (`deferKept`), notices a finding for an open occurrence that is certain to
    /// be made, if whatever it turns out to be (overdue, due soon, pending, or incomplete when a
    /// calendar cannot answer) is kept. Returns whether it did: the fast pass can then stop.
    mutating func noticeOpenOccurrence() -> Bool {
        guard deferKept, keepsEveryOpenOccurrence else { return false }
        noticedKept = true
        return true
    }

    /// Whether the findings an open occurrence can have (overdue, due soon, pending, or
    /// incomplete when a calendar cannot answer) are all kept.
    var keepsEveryOpenOccurrence: Bool {
        explaining.keeps(.overdue) && explaining.keeps(.dueSoon) && explaining.keeps(.pending) && explaining.keeps(.incomplete)
    }

    /// A point to roll back to (see `rollBack(to:)`).
    var mark: (count: Int, tallies: SIMD8<Int>) { (findings.count, tallies) }

    /// Forgets everything added since `mark`.
    mutating func rollBack(to mark: (count: Int, tallies: SIMD8<Int>)) {
        // (Only when there is something to remove: a fast pass that only noticed a finding made
        // none, and removing an empty range still costs a call into the standard library.)
        if findings.count > mark.count { findings.removeSubrange(mark.count...) }
        tallies = mark.tallies
    }

    /// Empties the sink for the next rule, keeping its storage.
    mutating func reset() {
        // (Emptying an empty array still costs a call into the standard library: most are empty.)
        if !findings.isEmpty { findings.removeAll(keepingCapacity: true) }
        tallies = SIMD8<Int>()
    }
}
