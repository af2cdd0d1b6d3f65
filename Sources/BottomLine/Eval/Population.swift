/// Judges rules across cases (`across cases grouped by …`). Each case adds its values to its
/// group's aggregates as it is read, so memory grows with the number of groups, not of cases;
/// `finish` then gives one finding per group, in group order, and one `incomplete` finding for
/// the cases that could not be placed in a group.
public struct PopulationAccumulator: Sendable {
    let program: CheckedProgram
    let asOf: LocalDate
    /// The rules across cases, by their place in the program, with their requirement on groups:
    /// references that are not counted (the program holds them), since every case is added to
    /// each (going through every rule and taking its form apart counted references each time).
    private let populationRules: [(index: Int, rule: Unmanaged<CheckedRule>, pop: Unmanaged<CompiledPopulation>)]
    /// By rule index (empty for rules that are not across cases). Mutated in place (never
    /// copied out and back), so adding a case costs the same however many cases came before.
    var states: [RuleState]
    /// Whether each case placed is listed with its group's name (`RuleState.listed`) rather than
    /// added to its group here.
    private var listsCases = false

    struct RuleState: Sendable {
        /// The groups and their distinct values.
        var table = GroupTable(aggregates: 0)
        /// For a batch of a streaming run (`listsCases`): each case placed, with its group's name,
        /// in input order (see `init(program:asOf:listingCases:)`).
        var listed: [NamedGroup] = []
        var unplaced: [String] = []
        var unplacedMissing: [String] = []
    }

    /// A group with its name (`GroupTable`), or a case with its group's name (`RuleState.listed`).
    struct NamedGroup: Sendable {
        let name: String
        var group: GroupState
    }

    struct GroupState: Sendable {
        var key: Value
        var cases = 0
        var aggregates: GroupAggregates

        /// Adds another accumulator's cases of the same group: all but the distinct values
        /// (see `GroupTable`).
        mutating func merge(_ other: GroupState) {
            cases += other.cases
            aggregates.merge(other.aggregates)
        }

        /// Adds the case `ev` is evaluating.
        mutating func add(_ pop: CompiledPopulation, _ ev: inout ExpressionEvaluator) {
            cases += 1
            for i in pop.aggregates.indices {
                ev.forEachItem(of: pop.aggregates[i].selection) { _, item in aggregates.add(item.value, to: i) }
            }
        }
    }

    /// A group's aggregates, in the rule's order: the first kept in place, any others in an
    /// array. Most rules across cases have one, and nearly every group of a batch holds one case:
    /// an array for each cost an allocation per case and rule on the worker, and freeing it on
    /// the calling thread after the merge, a free across threads.
    struct GroupAggregates: Sendable {
        private var first: AggregateState
        private var rest: [AggregateState]
        /// How many aggregates.
        let count: Int

        /// One aggregate in its starting state for each of `pop`'s.
        init(_ pop: CompiledPopulation) {
            let all = pop.aggregates
            count = all.count
            first = AggregateState(all.first?.op ?? .count)
            rest = all.count > 1 ? all.dropFirst().map { AggregateState($0.op) } : []
        }

        /// Adds `other`'s (of the same rule), each to its own: all but their distinct values.
        mutating func merge(_ other: GroupAggregates) {
            guard count > 0 else { return }
            first.merge(other.first)
            for i in rest.indices { rest[i].merge(other.rest[i]) }
        }

        /// Leaves out every distinct value (none held, none counted): for a group to take its
        /// place in a `GroupTable`, which adds them.
        mutating func clearDistinctValues() {
            guard count > 0 else { return }
            first.distinct = .none
            first.counted = 0
            for i in rest.indices {
                rest[i].distinct = .none
                rest[i].counted = 0
            }
        }

        /// The one value the first aggregate holds, when it is a `count of distinct` holding one
        /// (a case's).
        var firstDistinctValue: String? {
            if count > 0, case .one(let value) = first.distinct { return value }
            return nil
        }

        /// Adds `value` to aggregate `i`, where it lies. (A method, not through the subscript's
        /// `_modify`, whose coroutine's frame was allocated for every case added.)
        mutating func add(_ value: Value, to i: Int) {
            if i == 0 { first.add(value) } else { rest[i - 1].add(value) }
        }

        /// Counts one more distinct value for aggregate `i` (see `GroupTable`), where it lies.
        mutating func countDistinct(_ i: Int) {
            if i == 0 { first.counted += 1 } else { rest[i - 1].counted += 1 }
        }

        /// Aggregate `i`, read. (Changed only by `add(_:to:)` and `countDistinct(_:)`, where it lies.)
        subscript(i: Int) -> AggregateState { i == 0 ? first : rest[i - 1] }
    }

    /// The running value of one aggregate over a group.
    struct AggregateState: Sendable {
        let op: AggregateOperator
        var count = 0
        /// The distinct values of a group made for one case (`count of distinct`), to be added
        /// to a `GroupTable`.
        var distinct = DistinctValues.none
        /// How many distinct values of the group its `GroupTable` holds.
        var counted = 0
        var total: Double = 0
        var number: Double?
        var date: LocalDate?

        init(_ op: AggregateOperator) { self.op = op }

        /// Adds one item of one case.
        mutating func add(_ value: Value) {
            count += 1
            switch op {
            case .countDistinct: if value.isPresent { distinct.insert(display(value)) }
            case .sum: if case .number(let n) = value { total += n }
            case .min: if case .number(let n) = value { number = number.map { Swift.min($0, n) } ?? n }
            case .max: if case .number(let n) = value { number = number.map { Swift.max($0, n) } ?? n }
            case .earliest: if case .date(let d) = value { date = date.map { Swift.min($0, d) } ?? d }
            case .latest: if case .date(let d) = value { date = date.map { Swift.max($0, d) } ?? d }
            case .count: break
            }
        }

        /// Adds `o`, all but its distinct values (see `GroupTable`).
        mutating func merge(_ o: AggregateState) {
            count += o.count
            total += o.total
            if let n = o.number { number = number.map { op == .min ? Swift.min($0, n) : Swift.max($0, n) } ?? n }
            if let d = o.date { date = date.map { op == .earliest ? Swift.min($0, d) : Swift.max($0, d) } ?? d }
        }

        var result: Value {
            switch op {
            case .count: return .number(Double(count))
            case .countDistinct: return .number(Double(counted + distinct.count))
            case .sum: return .number(total)
            case .min, .max: return number.map(Value.number) ?? .absent
            case .earliest, .latest: return date.map(Value.date) ?? .absent
            }
        }
    }

    public init(program: CheckedProgram, asOf: LocalDate) {
        self.program = program
        self.asOf = asOf
        self.states = Array(repeating: RuleState(), count: program.rules.count)
        populationRules = program.rules.enumerated().compactMap { i, rule in
            guard case .population(let pop) = rule.form else { return nil }
            return (i, .passUnretained(rule), .passUnretained(pop))
        }
        for (i, _, pop) in populationRules {
            states[i].table = GroupTable(aggregates: pop._withUnsafeGuaranteedRef { $0.aggregates.count })
        }
    }

    /// As `init(program:asOf:)`, for a batch of a streaming run, to be merged into the run's:
    /// each case placed is listed with its group's name, in input order, with room for
    /// `casesPerRule` (most cases of a batch are in a group of their own: grouping them in the
    /// batch as well as in the run hashed each group's name twice, and made and freed a table of
    /// groups for every batch).
    init(program: CheckedProgram, asOf: LocalDate, listingCases casesPerRule: Int) {
        self.init(program: program, asOf: asOf)
        listsCases = true
        for p in populationRules { states[p.index].listed.reserveCapacity(casesPerRule) }
    }

    /// Adds one case to every rule across cases.
    public mutating func add(_ snapshot: Snapshot) {
        guard var ev = ExpressionEvaluator.reusable(for: program, asOf: asOf) else { return }
        add(snapshot, evaluator: &ev)
    }

    /// As `add(_:)`, with an evaluator (of the same program and as-of date) whose buffers are
    /// reused.
    mutating func add(_ snapshot: Snapshot, evaluator ev: inout ExpressionEvaluator) {
        for (index, unretainedRule, unretainedPop) in populationRules {
            unretainedRule._withUnsafeGuaranteedRef { rule in
                unretainedPop._withUnsafeGuaranteedRef { pop in
                    add(snapshot, rule: rule, index: index, pop: pop, evaluator: &ev)
                }
            }
        }
    }

    /// Adds one case to one rule across cases (the rule at `index` of the program).
    private mutating func add(_ snapshot: Snapshot, rule: CheckedRule, index: Int, pop: CompiledPopulation,
        evaluator ev: inout ExpressionEvaluator)
    {
        ev.start(rule, caseRecord: snapshot.record, tracing: false)
        if let applies = rule.unretained.appliesWhen {
            switch applies._withUnsafeGuaranteedRef({ ev.evalTruth($0) }) {
            case false?: return
            case true?: break
            case nil:
                // Work out what was missing, for the message (rare: tracing only here).
                ev.start(rule, caseRecord: snapshot.record, tracing: true)
                _ = applies._withUnsafeGuaranteedRef { ev.eval($0) }
                states[index].unplaced.append(snapshot.caseID)
                states[index].unplacedMissing += ev.missing
                return
            }
        }
        let key = ev.eval(pop.key).value
        guard key.isPresent else {
            states[index].unplaced.append(snapshot.caseID)
            states[index].unplacedMissing.append(pop.keyPath)
            return
        }
        var group = GroupState(key: key, aggregates: GroupAggregates(pop))
        group.add(pop, &ev)
        if listsCases {
            states[index].listed.append(NamedGroup(name: display(key), group: consume group))
        } else {
            states[index].table.merge(display(key), group)
        }
    }

    /// Adds another accumulator's cases (for evaluation split across threads). Merging in input
    /// order gives the same result whatever the number of threads.
    public mutating func merge(_ other: PopulationAccumulator) {
        for (index, theirs) in other.states.enumerated() {
            states[index].table.merge(theirs.table)
            states[index].table.merge(listed: theirs.listed)
            states[index].unplaced += theirs.unplaced
            states[index].unplacedMissing += theirs.unplacedMissing
        }
    }

    /// The outcome for one group, without workings (the fast pass: most groups are only counted),
    /// by an evaluator of this accumulator's program and as-of date, begun again for the group (one
    /// serves every group: a national run has tens of thousands, and making an evaluator for
    /// each cost more than judging the group did).
    func groupOutcome(_ rule: CheckedRule, _ pop: CompiledPopulation, group g: GroupState, evaluator ev: inout ExpressionEvaluator,
        noCase: RecordValue) -> Outcome
    {
        ev.start(rule, caseRecord: noCase, tracing: false)
        ev.bindGroup(pop, key: g.key, cases: g.cases, count: g.aggregates.count) { g.aggregates[$0].result }
        let verdict = ev.evalTruth(pop.requirement)
        if verdict == true { return .met }
        return verdict == false ? .breached : .incomplete
    }

    /// The finding for one group: its aggregates' values put into the requirement.
    /// Not optimised: Swift 6.3.1's CopyPropagation pass crashes on this function (an ownership
    /// verifier failure) in release builds; it runs only for groups whose finding is shown.
    @_optimize(none)
    func judgeGroup(_ rule: CheckedRule, _ pop: CompiledPopulation, name: String, group g: GroupState, groupName: String) -> Finding {
        var ev = ExpressionEvaluator(program: program, rule: rule, asOf: asOf, caseRecord: RecordValue(fields: []))
        if let slot = pop.groupSlot { ev.locals[slot] = Evaluated(value: g.key, path: nil) }
        for (i, agg) in pop.aggregates.enumerated() {
            let field = agg.selection.list.kind.pathHint?.text ?? agg.selection.list.label
            ev.groupAggregates[agg.span] = (g.aggregates[i].result, "\(field) over \(g.cases) case\(g.cases == 1 ? "" : "s")", g.cases)
        }
        let verdict = ev.evalTruth(pop.requirement)
        var value: Double?
        var limit: Double?
        if case .compare(_, let a, let b) = pop.requirement.kind {
            ev.quiet += 1
            if case .number(let n) = ev.eval(a).value { value = n }
            if case .number(let n) = ev.eval(b).value { limit = n }
            ev.quiet -= 1
        }
        let outcome: Outcome = verdict.map { $0 ? .met : .breached } ?? .incomplete
        return Finding(
            ruleText: rule.text, caseID: "", item: nil, itemLabel: "\(groupName) \(name)", outcome: outcome, due: nil,
            done: nil, lateBy: nil, timeLeft: nil,
            recorded: .events(ev.trace), missing: ev.missing,
            reason: outcome == .incomplete ? "the group's values could not be worked out" : nil, location: nil,
            group: FindingGroup(by: pop.keyPath, value: name), value: value, limit: limit)
    }

    /// One finding per group of every rule across cases, rules in rule-set order, groups in key order.
    public func finish() -> [Finding] {
        var out: [Finding] = []
        finish(into: FindingSink()) { _, sink in out += sink.findings }
        return out
    }

    /// The findings of each rule across cases, added to a copy of `empty` and handed to `body`
    /// with the rule's index: groups whose finding the sink does not keep are only counted.
    func finish(into empty: FindingSink, _ body: (Int, FindingSink) -> Void) {
        let noCase = RecordValue(fields: [])
        guard var ev = ExpressionEvaluator.reusable(for: program, asOf: asOf) else { return }
        for (index, rule) in program.rules.enumerated() {
            guard case .population(let pop) = rule.form else { continue }
            var sink = empty
            let state = states[index]
            let groupName = pop.groupSlot.map { _ in rule.forEachName(pop) } ?? pop.keyPath
            // (The groups' places sorted, not the groups: moving each group's state as the sort
            // went cost more than judging it.)
            let groups = state.table.groups
            // (By the names taken out once: a comparison of two groups' names copied both groups.)
            let names = groups.map(\.name)
            for place in names.indices.sorted(by: { names[$0] < names[$1] }) {
                let name = names[place]
                let g = groups[place].group
                let outcome = groupOutcome(rule, pop, group: g, evaluator: &ev, noCase: noCase)
                sink.add(outcome) { judgeGroup(rule, pop, name: name, group: g, groupName: groupName) }
            }
            if !state.unplaced.isEmpty {
                let shown = state.unplaced.prefix(10).joined(separator: ", ") + (state.unplaced.count > 10 ? ", …" : "")
                let missing = Array(Set(state.unplacedMissing)).sorted()
                let f = Finding(
                    ruleText: rule.text, caseID: "", item: nil, itemLabel: "cases not placed in a group", outcome: .incomplete,
                    due: nil, done: nil, lateBy: nil, timeLeft: nil,
                    recorded: .events([.casesLeftOut(count: state.unplaced.count, shown: shown, missing: missing)]),
                    missing: missing,
                    reason: "\(state.unplaced.count) case\(state.unplaced.count == 1 ? "" : "s") could not be placed in a group: \(shown)",
                    location: nil, group: FindingGroup(by: pop.keyPath, value: ""))
                sink.add(.incomplete) { f }
            }
            body(index, sink)
        }
    }

}

extension CheckedRule {
    /// The name the rule gives its groups (`practitioner`), for people.
    func forEachName(_ pop: CompiledPopulation) -> String { groupName ?? pop.keyPath }
}
