/// Judges rules across cases (`across cases grouped by …`). Each case adds its values to its
/// group's aggregates as it is read, so memory grows with the number of groups, not of cases;
/// `finish` then gives one finding per group, in group order, and one `incomplete` finding for
/// the cases that could not be placed in a group.
public struct PopulationAccumulator: Sendable {
    let program: CheckedProgram
    let asOf: LocalDate
    var states: [Int: RuleState] = [:]

    struct RuleState: Sendable {
        var groups: [String: GroupState] = [:]
        var unplaced: [String] = []
        var unplacedMissing: [String] = []
    }

    struct GroupState: Sendable {
        var key: Value
        var cases = 0
        var aggregates: [AggregateState]
    }

    enum AggregateState: Sendable {
        case count(Int)
        case distinct(Set<String>)
        case sum(Double)
        case minimum(Double?)
        case maximum(Double?)
        case earliest(LocalDate?)
        case latest(LocalDate?)
    }

    public init(program: CheckedProgram, asOf: LocalDate) {
        self.program = program
        self.asOf = asOf
    }

    /// Adds one case to every rule across cases.
    public mutating func add(_ snapshot: Snapshot) {
        for (index, rule) in program.rules.enumerated() {
            guard case .population(let pop) = rule.form else { continue }
            var ev = ExpressionEvaluator(program: program, rule: rule, asOf: asOf, caseRecord: snapshot.record)
            ev.quiet = 1
            var state = states[index] ?? RuleState()
            defer { states[index] = state }
            if let applies = rule.appliesWhen {
                switch ev.truth(ev.eval(applies)) {
                case false?: continue
                case true?: break
                case nil:
                    state.unplaced.append(snapshot.caseID)
                    state.unplacedMissing += ev.missing
                    continue
                }
            }
            let key = ev.eval(pop.key).value
            guard key.isPresent else {
                state.unplaced.append(snapshot.caseID)
                state.unplacedMissing.append(pop.keyPath)
                continue
            }
            let name = display(key)
            var group = state.groups[name] ?? GroupState(key: key, aggregates: pop.aggregates.map { initial($0.op) })
            group.cases += 1
            for (i, agg) in pop.aggregates.enumerated() {
                let items = ev.select(agg.selection)
                group.aggregates[i] = update(group.aggregates[i], with: items)
            }
            state.groups[name] = group
        }
    }

    /// Adds another accumulator's cases (for evaluation split across threads).
    public mutating func merge(_ other: PopulationAccumulator) {
        for (index, theirs) in other.states {
            var mine = states[index] ?? RuleState()
            for (name, g) in theirs.groups {
                if var m = mine.groups[name] {
                    m.cases += g.cases
                    for i in m.aggregates.indices { m.aggregates[i] = combine(m.aggregates[i], g.aggregates[i]) }
                    mine.groups[name] = m
                } else {
                    mine.groups[name] = g
                }
            }
            mine.unplaced += theirs.unplaced
            mine.unplacedMissing += theirs.unplacedMissing
            states[index] = mine
        }
    }

    /// One finding per group of every rule across cases, rules in rule-set order, groups in key order.
    public func finish() -> [Finding] {
        var out: [Finding] = []
        for (index, rule) in program.rules.enumerated() {
            guard case .population(let pop) = rule.form else { continue }
            let state = states[index] ?? RuleState()
            let groupName = pop.groupSlot.map { _ in rule.forEachName(pop) } ?? pop.keyPath
            for name in state.groups.keys.sorted() {
                let g = state.groups[name]!
                var ev = ExpressionEvaluator(program: program, rule: rule, asOf: asOf, caseRecord: RecordValue(fields: []))
                if let slot = pop.groupSlot { ev.locals[slot] = Evaluated(value: g.key, path: nil) }
                for (i, agg) in pop.aggregates.enumerated() {
                    let field = agg.selection.list.kind.pathHint?.text ?? agg.selection.list.label
                    ev.groupAggregates[agg.span] = (result(g.aggregates[i]), "\(field) over \(g.cases) case\(g.cases == 1 ? "" : "s")", g.cases)
                }
                let verdict = ev.truth(ev.eval(pop.requirement))
                var value: Double?
                var limit: Double?
                if case .compare(_, let a, let b) = pop.requirement.kind {
                    ev.quiet += 1
                    if case .number(let n) = ev.eval(a).value { value = n }
                    if case .number(let n) = ev.eval(b).value { limit = n }
                    ev.quiet -= 1
                }
                let outcome: Outcome = verdict == nil ? .incomplete : (verdict! ? .met : .breached)
                var f = Finding(
                    rule: rule.id, caseID: "", item: nil, itemLabel: "\(groupName) \(name)", outcome: outcome, due: nil,
                    done: nil, lateBy: nil, timeLeft: nil, title: rule.title, kind: rule.kind, source: rule.source,
                    workings: explain(ev.trace), missing: ev.missing,
                    reason: outcome == .incomplete ? "the group's values could not be worked out" : nil, location: nil)
                f.group = FindingGroup(by: pop.keyPath, value: name)
                f.value = value
                f.limit = limit
                out.append(f)
            }
            if !state.unplaced.isEmpty {
                let shown = state.unplaced.prefix(10).joined(separator: ", ") + (state.unplaced.count > 10 ? ", …" : "")
                let missing = Array(Set(state.unplacedMissing)).sorted()
                var f = Finding(
                    rule: rule.id, caseID: "", item: nil, itemLabel: "cases not placed in a group", outcome: .incomplete,
                    due: nil, done: nil, lateBy: nil, timeLeft: nil, title: rule.title, kind: rule.kind, source: rule.source,
                    workings: [WorkingsStep(step: "cases left out", value: String(state.unplaced.count), from: shown,
                        note: "not recorded: " + missing.map { "`\($0)`" }.joined(separator: ", "))],
                    missing: missing,
                    reason: "\(state.unplaced.count) case\(state.unplaced.count == 1 ? "" : "s") could not be placed in a group: \(shown)",
                    location: nil)
                f.group = FindingGroup(by: pop.keyPath, value: "")
                out.append(f)
            }
        }
        return out
    }

    func initial(_ op: AggregateOperator) -> AggregateState {
        switch op {
        case .count: return .count(0)
        case .countDistinct: return .distinct([])
        case .sum: return .sum(0)
        case .min: return .minimum(nil)
        case .max: return .maximum(nil)
        case .earliest: return .earliest(nil)
        case .latest: return .latest(nil)
        }
    }

    func update(_ s: AggregateState, with items: [Evaluated]) -> AggregateState {
        switch s {
        case .count(let n): return .count(n + items.count)
        case .distinct(var set):
            for i in items where i.value.isPresent { set.insert(display(i.value)) }
            return .distinct(set)
        case .sum(let t): return .sum(items.reduce(t) { if case .number(let n) = $1.value { return $0 + n } else { return $0 } })
        case .minimum(let m): return .minimum(items.reduce(m) { if case .number(let n) = $1.value { return $0.map { min($0, n) } ?? n } else { return $0 } })
        case .maximum(let m): return .maximum(items.reduce(m) { if case .number(let n) = $1.value { return $0.map { max($0, n) } ?? n } else { return $0 } })
        case .earliest(let m): return .earliest(items.reduce(m) { if case .date(let d) = $1.value { return $0.map { min($0, d) } ?? d } else { return $0 } })
        case .latest(let m): return .latest(items.reduce(m) { if case .date(let d) = $1.value { return $0.map { max($0, d) } ?? d } else { return $0 } })
        }
    }

    func combine(_ a: AggregateState, _ b: AggregateState) -> AggregateState {
        switch (a, b) {
        case (.count(let x), .count(let y)): return .count(x + y)
        case (.distinct(let x), .distinct(let y)): return .distinct(x.union(y))
        case (.sum(let x), .sum(let y)): return .sum(x + y)
        case (.minimum(let x), .minimum(let y)): return .minimum([x, y].compactMap { $0 }.min())
        case (.maximum(let x), .maximum(let y)): return .maximum([x, y].compactMap { $0 }.max())
        case (.earliest(let x), .earliest(let y)): return .earliest([x, y].compactMap { $0 }.min())
        case (.latest(let x), .latest(let y)): return .latest([x, y].compactMap { $0 }.max())
        default: return a
        }
    }

    func result(_ s: AggregateState) -> Value {
        switch s {
        case .count(let n): return .number(Double(n))
        case .distinct(let set): return .number(Double(set.count))
        case .sum(let t): return .number(t)
        case .minimum(let m), .maximum(let m): return m.map(Value.number) ?? .absent
        case .earliest(let d), .latest(let d): return d.map(Value.date) ?? .absent
        }
    }
}

extension CheckedRule {
    /// The name the rule gives its groups (`practitioner`), for people.
    func forEachName(_ pop: CompiledPopulation) -> String { groupName ?? pop.keyPath }
}
