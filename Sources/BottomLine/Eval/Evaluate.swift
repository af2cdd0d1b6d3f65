/// Stage 4: a checked program, one snapshot and the as-of date → findings, one per rule (or one
/// per item for rules with `for each`, one per occurrence for recurring rules), in rule order then
/// item order. Rules across cases are judged over a whole run (`PopulationAccumulator`). A pure
/// function: the same inputs give the same findings.
///
/// `explaining` chooses which findings carry their workings out: all of them, or only those that
/// need action. Outcomes are decided first without tracing; a finding to be explained is then
/// evaluated again with tracing on, which gives the same outcome and its workings.
public func evaluate(_ program: CheckedProgram, snapshot: Snapshot, asOf: LocalDate, explaining: FindingFilter = .all) -> [Finding] {
    var out = FindingSink(explaining: explaining)
    for rule in program.rules {
        evaluate(rule, program: program, snapshot: snapshot, asOf: asOf, into: &out)
    }
    return out.findings
}

/// Evaluates one rule against one snapshot, adding its findings to `out` (whose `explaining`
/// says which findings carry their workings out, and whose `tallyOnly` whether the others are
/// only counted).
func evaluate(_ rule: CheckedRule, program: CheckedProgram, snapshot: Snapshot, asOf: LocalDate, into out: inout FindingSink) {
    var ev = ExpressionEvaluator(program: program, rule: rule, asOf: asOf, caseRecord: snapshot.record)
    out.location = snapshot.location
    evaluate(rule, snapshot: snapshot, evaluator: &ev, into: &out)
}

/// As `evaluate(_:program:snapshot:asOf:into:)`, with an evaluator (of the same program and
/// as-of date) whose buffers are reused: for evaluating many rules and cases in a row. The
/// caller sets `out.location` to the snapshot's once for all its rules.
func evaluate(_ rule: CheckedRule, snapshot: Snapshot, evaluator ev: inout ExpressionEvaluator, into out: inout FindingSink) {
    if rule.isPopulation { return }
    let explaining = out.explaining
    let tallyOnly = out.tallyOnly
    let tracing = explaining == .all
    // One evaluator for every item of this rule, reset between them (its buffers are reused),
    // and before the first (`run`).
    ev.start(rule, caseRecord: snapshot.record, tracing: tracing, resetting: false)
    // (An item is handed on, not copied, from its list to the evaluator's local: each copy
    // counted a reference to the record, for every item of every rule.)
    func run(_ item: consuming Evaluated?, _ i: Int, tracing: Bool, into out: inout FindingSink) {
        ev.reset(tracing: tracing)
        var subject = FindingSubject(rule: rule, caseID: snapshot.caseID, item: nil, itemLabel: nil, explaining: explaining)
        if let item = consume item {
            ev.locals[0] = item
            // In a fast pass that only counts, a kept finding is made again with tracing, so the
            // item's names are not needed yet.
            if tracing || !tallyOnly, let forEach = rule.forEach {
                let itemPath = ev.locals[0].path?.textWithinCase ?? untracedItemName(forEach, i)
                // (The item in words is for text output: a streaming run writes JSON, without it.)
                let itemLabel = out.direct == nil ? "\(forEach.list.label) \(i + 1)" : nil
                subject = FindingSubject(rule: rule, caseID: snapshot.caseID, item: itemPath, itemLabel: itemLabel, explaining: explaining)
            }
        }
        judge(rule, &ev, subject, into: &out)
    }
    /// Runs one case or item; if a finding needs explaining and was not traced, runs it again traced.
    func runExplained(_ item: consuming Evaluated?, _ i: Int) {
        let start = out.mark
        out.deferKept = !tracing
        out.noticedKept = false
        run(item, i, tracing: tracing, into: &out)
        out.deferKept = false
        if !tracing, out.noticedKept {
            out.rollBack(to: start)
            rerunTraced(i)
        }
    }
    /// Kept out of line, so that a profile shows what the traced passes cost.
    @inline(never) func rerunTraced(_ i: Int) { run(tracedItem(i), i, tracing: true, into: &out) }
    func tracedItem(_ i: Int) -> Evaluated? {
        guard let list = rule.unretained.forEachList else { return nil }
        ev.reset(tracing: true)
        return list._withUnsafeGuaranteedRef { ev.item(i, of: $0) }
    }
    // A schedule whose period has no end recorded finishes with an open occurrence (or is
    // incomplete), and when those findings are kept a fast pass would only notice one and stop
    // (see `FindingSink.noticeOpenOccurrence`): such a case or item goes straight to the traced
    // pass. The rule's schedule, when an open period sends it there.
    func scheduleWhosePeriodMatters() -> Unmanaged<CompiledSchedule>? {
        guard !tracing, rule.unretained.appliesWhen == nil, case .schedule(let s) = rule.unretained.form,
            out.keepsEveryOpenOccurrence
        else { return nil }
        return s
    }
    // (The list without counting a reference to it: see `CheckedRule.unretained`.)
    guard let list = rule.unretained.forEachList else {
        if let schedule = scheduleWhosePeriodMatters(), schedule._withUnsafeGuaranteedRef({ $0.periodCertainlyOpen(inCase: snapshot.record) }) {
            rerunTraced(0)
        } else {
            runExplained(nil, 0)
        }
        return
    }
    // Most cases have none of most lists (protection plans, placements): nothing to judge.
    if list._withUnsafeGuaranteedRef({ ev.certainlyNoItems($0) }) { return }
    // (In the evaluator's room for them, handed back after: see `ExpressionEvaluator.forEachItems`.)
    var items: [Evaluated] = []
    swap(&items, &ev.forEachItems)
    list._withUnsafeGuaranteedRef { ev.appendItems(of: $0, to: &items) }
    let schedule = scheduleWhosePeriodMatters()
    for i in items.indices {
        if let schedule, schedule._withUnsafeGuaranteedRef({ $0.periodCertainlyOpen(inItem: items[i].value) }) {
            rerunTraced(i)
        } else {
            runExplained(items.take(i), i)
        }
    }
    items.removeAll(keepingCapacity: true)
    swap(&items, &ev.forEachItems)
}

/// How a finding names item `i` of a `for each` list when the item's path was not traced (a
/// finding made without workings): as a traced path names it (`section47[1]`) when the list is a
/// field of the case; otherwise by the rule's name for an item (`enquiry[1]`: the items of a
/// filtered list are not at their own places in it).
private func untracedItemName(_ forEach: (name: String, list: CompiledExpression), _ i: Int) -> String {
    if let fixed = forEach.list.fixedPath { return "\(fixed.path.textWithinCase)[\(i)]" }
    return "\(forEach.name)[\(i)]"
}

extension Array where Element == Evaluated {
    /// The item at `i`, taken out (`absent` left in its place) rather than copied.
    @inline(__always) mutating func take(_ i: Int) -> Evaluated {
        var item = Evaluated.absent
        swap(&item, &self[i])
        return item
    }
}

/// What a finding is about, and how to make one.
struct FindingSubject {
    /// (Not counted: the rule's program holds it for as long as the subject is used, and a
    /// subject is made for every rule of every case.)
    unowned(unsafe) let rule: CheckedRule
    let caseID: String
    let item: String?
    let itemLabel: String?
    /// Which findings get their workings out written (the others are only counted).
    var explaining: FindingFilter = .all

    func make(_ outcome: Outcome, _ trace: [TraceEvent], due: LocalDate? = nil, done: LocalDate? = nil,
        lateBy: Amount? = nil, timeLeft: Amount? = nil, missing: [String] = [], reason: String? = nil,
        occurrence: Int? = nil) -> Finding
    {
        make(outcome, .events(trace), due: due, done: done, lateBy: lateBy, timeLeft: timeLeft, missing: missing, reason: reason,
            occurrence: occurrence)
    }

    /// As `make(_:_:due:done:lateBy:timeLeft:missing:reason:occurrence:)`, with the trace as recorded.
    func make(_ outcome: Outcome, _ trace: FindingTrace, due: LocalDate? = nil, done: LocalDate? = nil,
        lateBy: Amount? = nil, timeLeft: Amount? = nil, missing: [String] = [], reason: String? = nil,
        occurrence: Int? = nil) -> Finding
    {
        Finding(
            ruleText: rule.text, caseID: caseID, item: item, itemLabel: itemLabel, outcome: outcome, due: due, done: done,
            lateBy: lateBy, timeLeft: timeLeft,
            recorded: explaining == .all || outcome.isActionable ? trace : .none, missing: missing, reason: reason,
            location: nil, occurrence: occurrence)
    }

    /// An `incomplete` finding naming what was missing (or the calendar that could not answer).
    func incomplete(_ ev: ExpressionEvaluator, occurrence: Int? = nil) -> Finding {
        if let problem = ev.calendarProblem {
            let field = ev.calendarProblemField.map { "counting from `\($0)`: " } ?? ""
            return make(.incomplete, ev.trace, missing: ev.missing, reason: field + problem.message, occurrence: occurrence)
        }
        let names = ev.missing.map { "`\($0)`" }.joined(separator: ", ")
        return make(.incomplete, ev.trace, missing: ev.missing,
            reason: ev.missing.isEmpty ? "the data needed to decide is missing" : "not recorded: \(names)",
            occurrence: occurrence)
    }
}

/// Applies a rule's form to one case or item.
private func judge(_ rule: CheckedRule, _ ev: inout ExpressionEvaluator, _ subject: FindingSubject, into out: inout FindingSink) {
    // (The rule's parts without counting references to them: see `CheckedRule.unretained`.)
    let parts = rule.unretained
    if let applies = parts.appliesWhen {
        switch applies._withUnsafeGuaranteedRef({ ev.evalTruth($0) }) {
        case nil: return out.add(.incomplete) { subject.incomplete(ev) }
        case false?: return out.add(.notApplicable) { subject.make(.notApplicable, ev.trace) }
        case true?: break
        }
    }
    switch parts.form {
    case .population: return
    case .schedule(let schedule):
        schedule._withUnsafeGuaranteedRef { $0.judge(rule, &ev, subject: subject, into: &out) }
    case .condition(let requirement):
        switch requirement._withUnsafeGuaranteedRef({ ev.evalTruth($0) }) {
        case nil: out.add(.incomplete) { subject.incomplete(ev) }
        case true?: out.add(.met) { subject.make(.met, ev.trace) }
        case false?: out.add(.breached) { subject.make(.breached, ev.trace) }
        }
    case .deadline(let dueExpr, let doneExpr, let warn):
        guard let due = dueExpr._withUnsafeGuaranteedRef({ ev.evalDate($0) }) else {
            return out.add(.incomplete) { subject.incomplete(ev) }
        }
        ev.probing += 1
        let done = doneExpr._withUnsafeGuaranteedRef { ev.evalDate($0) }
        ev.probing -= 1
        judgeDeadline(rule, &ev, subject, due: due, done: done, warn: warn, occurrence: nil, into: &out)
    }
}

/// The outcome of one deadline, decided without workings: met or breached when done; overdue,
/// due soon or pending when not. `periodEnded`: the period in which the event was required is
/// over, so a missed event is a settled breach rather than an open one.
func deadlineOutcome(_ rule: CheckedRule, asOf: LocalDate, due: LocalDate, done: LocalDate?, warn: Duration?,
    periodEnded: LocalDate? = nil) -> Outcome
{
    if let done { return done <= due ? .met : .breached }
    if let end = periodEnded, end >= due, end <= asOf { return .breached }
    if asOf > due { return .overdue }
    if let warn, let start = warningStart(rule, due: due, warn: warn), asOf >= start { return .dueSoon }
    return .pending
}

/// The finding for one deadline (see `deadlineOutcome`), with how late or how long left.
func judgeDeadline(_ rule: CheckedRule, _ ev: inout ExpressionEvaluator, _ subject: FindingSubject, due: LocalDate,
    done: LocalDate?, warn: Duration?, occurrence: Int?, periodEnded: LocalDate? = nil, into out: inout FindingSink)
{
    let asOf = ev.asOf
    let outcome = deadlineOutcome(rule, asOf: asOf, due: due, done: done, warn: warn, periodEnded: periodEnded)
    out.add(outcome) { judgeDeadline(rule, &ev, subject, outcome, due: due, done: done, occurrence: occurrence, periodEnded: periodEnded) }
}

/// The finding for a deadline whose outcome is decided.
private func judgeDeadline(_ rule: CheckedRule, _ ev: inout ExpressionEvaluator, _ subject: FindingSubject, _ outcome: Outcome,
    due: LocalDate, done: LocalDate?, occurrence: Int?, periodEnded: LocalDate?) -> Finding
{
    // An open occurrence is judged against the as-of date: the workings say so.
    let asOf = ev.asOf
    if outcome.isOpen { ev.record(.asOf(asOf)) }
    return deadlineFinding(rule, subject, outcome, asOf: asOf, due: due, done: done, occurrence: occurrence,
        periodEnded: periodEnded, trace: .events(ev.trace))
}

/// The finding for a deadline whose outcome is decided, with its workings (`trace`), how late or
/// how long left.
func deadlineFinding(_ rule: CheckedRule, _ subject: FindingSubject, _ outcome: Outcome, asOf: LocalDate, due: LocalDate,
    done: LocalDate?, occurrence: Int?, periodEnded: LocalDate?, trace: FindingTrace) -> Finding
{
    let a = DeadlineAmounts(rule, outcome, asOf: asOf, due: due, done: done, periodEnded: periodEnded)
    return subject.make(outcome, trace, due: due, done: a.done, lateBy: a.lateBy, timeLeft: a.timeLeft, occurrence: occurrence)
}

/// What the finding of a deadline whose outcome is decided says beside it: how late (breached,
/// overdue) or how long left (due soon, pending), and the date it was done (met or breached only).
struct DeadlineAmounts {
    var lateBy: Amount?
    var timeLeft: Amount?
    let done: LocalDate?

    init(_ rule: CheckedRule, _ outcome: Outcome, asOf: LocalDate, due: LocalDate, done: LocalDate?, periodEnded: LocalDate?) {
        switch outcome {
        case .met: break
        case .breached: lateBy = lateness(rule, from: due, to: done ?? periodEnded!)
        case .overdue: lateBy = lateness(rule, from: due, to: asOf)
        default: timeLeft = lateness(rule, from: asOf, to: due, allowZero: true)
        }
        self.done = outcome == .met || outcome == .breached ? done : nil
    }
}

extension Outcome {
    /// Whether the occurrence is still open at the as-of date (overdue, due soon or pending): it
    /// is judged against that date, and its workings say so.
    @inline(__always) var isOpen: Bool { self == .overdue || self == .dueSoon || self == .pending }
}

/// How far apart two dates are in the rule's unit. A late event is never "0 working days" late:
/// when no working day separates them (done on the Saturday after a Friday deadline), the
/// amount is given in calendar days instead.
func lateness(_ rule: CheckedRule, from a: LocalDate, to b: LocalDate, allowZero: Bool = false) -> Amount {
    if rule.lateUnit == .workingDays, let cal = rule.calendar, case .success(let n) = cal.workingDays(from: a, to: b),
        n > 0 || allowZero
    {
        return Amount(n, .workingDays)
    }
    return Amount(a.days(to: b), .days)
}

/// The first day of the warning window: `due - warn`, by the same arithmetic as the due date.
func warningStart(_ rule: CheckedRule, due: LocalDate, warn: Duration) -> LocalDate? {
    shiftedDate(Duration(-warn.amount, warn.unit), from: due, rule: rule)
}
