/// Stage 4: a checked program, one snapshot and the as-of date → findings, one per rule (or one
/// per item, for rules with `for each`), in rule order then item order. A pure function: the same
/// inputs give the same findings.
public func evaluate(_ program: CheckedProgram, snapshot: Snapshot, asOf: LocalDate) -> [Finding] {
    var out: [Finding] = []
    for rule in program.rules {
        evaluate(rule, program: program, snapshot: snapshot, asOf: asOf, into: &out)
    }
    return out
}

/// Evaluates one rule against one snapshot, appending its findings.
func evaluate(_ rule: CheckedRule, program: CheckedProgram, snapshot: Snapshot, asOf: LocalDate, into out: inout [Finding]) {
    var ev = ExpressionEvaluator(program: program, rule: rule, asOf: asOf, caseRecord: snapshot.record)
    guard let forEach = rule.forEach else {
        out.append(judge(rule, &ev, caseID: snapshot.caseID, item: nil, itemLabel: nil, location: snapshot.location))
        return
    }
    let items = ev.evalList(forEach.list)
    let listLabel = forEach.list.label
    for (i, item) in items.enumerated() {
        var itemEv = ExpressionEvaluator(program: program, rule: rule, asOf: asOf, caseRecord: snapshot.record)
        itemEv.locals[0] = item
        var itemPath = item.path?.text ?? "\(forEach.name)[\(i)]"
        if itemPath.hasPrefix("case.") { itemPath.removeFirst(5) }
        out.append(judge(rule, &itemEv, caseID: snapshot.caseID, item: itemPath, itemLabel: "\(listLabel) \(i + 1)", location: snapshot.location))
    }
}

/// Applies a rule's form to one case or item.
private func judge(_ rule: CheckedRule, _ ev: inout ExpressionEvaluator, caseID: String, item: String?, itemLabel: String?, location: SnapshotLocation) -> Finding {
    func finding(_ outcome: Outcome, due: LocalDate? = nil, done: LocalDate? = nil, lateBy: Amount? = nil,
        timeLeft: Amount? = nil, missing: [String] = [], reason: String? = nil) -> Finding {
        Finding(
            rule: rule.id, caseID: caseID, item: item, itemLabel: itemLabel, outcome: outcome, due: due, done: done,
            lateBy: lateBy, timeLeft: timeLeft, title: rule.title, kind: rule.kind, source: rule.source,
            workings: explain(ev.trace), missing: missing, reason: reason,
            location: outcome == .incomplete ? location : nil)
    }
    func incomplete() -> Finding {
        if let problem = ev.calendarProblem {
            let field = ev.calendarProblemField.map { "counting from `\($0)`: " } ?? ""
            return finding(.incomplete, missing: ev.missing, reason: field + problem.message)
        }
        let names = ev.missing.map { "`\($0)`" }.joined(separator: ", ")
        return finding(.incomplete, missing: ev.missing,
            reason: ev.missing.isEmpty ? "the data needed to decide is missing" : "not recorded: \(names)")
    }

    if let applies = rule.appliesWhen {
        switch ev.truth(ev.eval(applies)) {
        case nil: return incomplete()
        case false?: return finding(.notApplicable)
        case true?: break
        }
    }
    switch rule.form {
    case .condition(let requirement):
        switch ev.truth(ev.eval(requirement)) {
        case nil: return incomplete()
        case true?: return finding(.met)
        case false?: return finding(.breached)
        }
    case .deadline(let dueExpr, let doneExpr, let warn):
        guard case .date(let due) = ev.eval(dueExpr).value else { return incomplete() }
        ev.probing += 1
        let doneValue = ev.eval(doneExpr).value
        ev.probing -= 1
        if case .date(let done) = doneValue {
            if done <= due { return finding(.met, due: due, done: done) }
            return finding(.breached, due: due, done: done, lateBy: lateness(rule, &ev, from: due, to: done))
        }
        ev.record(.asOf(ev.asOf))
        if ev.asOf > due {
            return finding(.overdue, due: due, lateBy: lateness(rule, &ev, from: due, to: ev.asOf))
        }
        let left = lateness(rule, &ev, from: ev.asOf, to: due, allowZero: true)
        if let warn, let start = warningStart(rule, due: due, warn: warn), ev.asOf >= start {
            return finding(.dueSoon, due: due, timeLeft: left)
        }
        return finding(.pending, due: due, timeLeft: left)
    }
}

/// How far apart two dates are in the rule's unit. A late event is never "0 working days" late:
/// when no working day separates them (done on the Saturday after a Friday deadline), the
/// amount is given in calendar days instead.
private func lateness(_ rule: CheckedRule, _ ev: inout ExpressionEvaluator, from a: LocalDate, to b: LocalDate, allowZero: Bool = false) -> Amount {
    if rule.lateUnit == .workingDays, let cal = rule.calendar, case .success(let n) = cal.workingDays(from: a, to: b),
        n > 0 || allowZero
    {
        return Amount(n, .workingDays)
    }
    return Amount(a.days(to: b), .days)
}

/// The first day of the warning window: `due - warn`, by the same arithmetic as the due date.
private func warningStart(_ rule: CheckedRule, due: LocalDate, warn: Duration) -> LocalDate? {
    switch warn.unit {
    case .days: return due.adding(days: -warn.amount)
    case .weeks: return due.adding(days: -7 * warn.amount)
    case .months: return due.adding(months: -warn.amount).date
    case .years: return due.adding(months: -12 * warn.amount).date
    case .workingDays:
        guard let cal = rule.calendar, case .success(let s) = cal.add(-warn.amount, workingDaysTo: due) else { return nil }
        return s.date
    }
}
