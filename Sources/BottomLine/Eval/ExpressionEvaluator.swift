/// A value during evaluation, with where it came from.
struct Evaluated {
    var value: Value
    var path: ValuePath?

    static let absent = Evaluated(value: .absent, path: nil)
}

/// Evaluates compiled expressions for one rule on one case, recording trace events for the
/// top-level steps (not for each item inside an aggregate) and the fields whose absence made a
/// result undecidable.
struct ExpressionEvaluator {
    let program: CheckedProgram
    /// One of `program`'s rules (which the program holds for as long as the evaluator does): not
    /// counted, since an evaluator is started on every rule of every case.
    private(set) unowned(unsafe) var rule: CheckedRule
    let asOf: LocalDate
    private(set) var caseRecord: RecordValue
    var locals: [Evaluated] {
        didSet { localsSet = true }
    }
    /// Whether a local has been set since the last reset (most rules and items set none, and a
    /// reset then need not look at them).
    private var localsSet = false
    var trace: [TraceEvent] = []
    var missing: [String] = []
    /// A schedule's events, kept between schedules so that each reuses the room of the last.
    let scheduleEvents = ScheduleEventList()
    /// The workings of the last traced judging of a schedule, made again in place by the next
    /// one when nothing else holds them (see `ScheduleWorkings.make(reusing:...)`).
    var spareWorkings: ScheduleWorkings?
    /// The items of a rule's `for each` list, kept between rules so that each reuses the room of
    /// the last (see `evaluate(_:snapshot:evaluator:into:)`): an array made for each cost an
    /// allocation (two for a list of two) and its freeing, for nearly every case.
    var forEachItems: [Evaluated] = []
    var calendarProblem: CalendarError?
    /// The field whose date the calendar could not count from.
    var calendarProblemField: String?
    /// Trace only at depth 0; inside aggregates and conditions of `where`, stay quiet.
    var quiet = 0
    /// Inside `is present`/`is absent`, or `done`, absence is expected, not missing data.
    var probing = 0
    /// For a rule across cases: each aggregate's value over the group, by the aggregate's span.
    var groupAggregates: [Span: (value: Value, from: String, items: Int)] = [:]

    /// When false, no trace events and no field paths are made: the fast pass that only decides
    /// outcomes. Findings that will be shown are evaluated again with tracing on.
    var tracing: Bool
    /// The month table, taken once: each use of `MonthTable.shared` called into the runtime to
    /// check that it was made, for every month added in a schedule's walk.
    let months = MonthTable.shared

    init(program: CheckedProgram, rule: CheckedRule, asOf: LocalDate, caseRecord: RecordValue, tracing: Bool = true) {
        self.tracing = tracing
        self.program = program
        self.rule = rule
        self.asOf = asOf
        self.caseRecord = caseRecord
        self.locals = filledArray(Evaluated.absent, count: rule.localCount)
    }

    /// An evaluator for many rules and cases in a row (each begun with `start`); `nil` for a
    /// program with no rules.
    static func reusable(for program: CheckedProgram, asOf: LocalDate) -> ExpressionEvaluator? {
        program.rules.first.map { ExpressionEvaluator(program: program, rule: $0, asOf: asOf, caseRecord: RecordValue(fields: [])) }
    }

    /// For a rule across cases: binds the group's key and its aggregates' values over the group
    /// (`result(i)`: the value of the rule's `i`-th aggregate, for the first `count`), for deciding
    /// its outcome without workings.
    mutating func bindGroup(_ pop: CompiledPopulation, key: Value, cases: Int, count: Int, result: (Int) -> Value) {
        if let slot = pop.groupSlot { locals[slot] = Evaluated(value: key, path: nil) }
        for (i, agg) in pop.aggregates.enumerated() where i < count {
            groupAggregates[agg.span] = (result(i), "", cases)
        }
    }

    /// The state of a new evaluator for this rule and case, keeping its buffers: one evaluator
    /// serves every rule of a snapshot (making and freeing one per rule cost more than the rules'
    /// own evaluation did, for the simpler ones).
    ///
    /// `resetting`: false when the caller resets the evaluator (`reset(tracing:)`) before it
    /// judges anything, as `evaluate` does for each case or item: what is left of the last rule
    /// then matters only in the rule's locals, which are cleared here all the same.
    mutating func start(_ rule: CheckedRule, caseRecord: RecordValue, tracing: Bool, resetting: Bool = true) {
        self.rule = rule
        // (The same case for every rule of a snapshot: kept, not counted and released again.)
        if !self.caseRecord.isSame(caseRecord) { self.caseRecord = caseRecord }
        if locals.count < rule.localCount {
            locals.append(contentsOf: repeatElement(Evaluated.absent, count: rule.localCount - locals.count))
        }
        // (Kept for the next group of a rule across cases; empty for every other rule.)
        if !groupAggregates.isEmpty { groupAggregates.removeAll(keepingCapacity: true) }
        if resetting || localsSet { reset(tracing: tracing) } else { self.tracing = tracing }
    }

    /// Back to the state of a new evaluator, keeping its buffers: for the next item of a rule.
    mutating func reset(tracing: Bool) {
        self.tracing = tracing
        // (Emptying an empty array still costs a call into the standard library: most are empty.)
        if !trace.isEmpty { trace.removeAll(keepingCapacity: true) }
        if !missing.isEmpty { missing.removeAll(keepingCapacity: true) }
        if calendarProblem != nil { calendarProblem = nil }
        if calendarProblemField != nil { calendarProblemField = nil }
        quiet = 0
        probing = 0
        // Most are clear already: checked first, since storing over one costs its destruction.
        if localsSet {
            for i in locals.indices {
                if case .absent = locals[i].value, locals[i].path == nil { continue }
                locals[i] = .absent
            }
            localsSet = false
        }
    }

    mutating func record(_ e: @autoclosure () -> TraceEvent) { if tracing && quiet == 0 { trace.append(e()) } }

    /// The text of the path `v` was read from, by evaluating `e` (made once when compiled, for
    /// a field of fields of the case); nil when there is no path (not tracing).
    func pathText(_ e: CompiledExpression, _ v: Evaluated) -> String? {
        guard let path = v.path else { return nil }
        return e.fixedPath?.text ?? path.text
    }

    /// `text`: the path's text, when it is known already.
    mutating func noteMissing(_ path: ValuePath?, text: String? = nil) {
        guard probing == 0, let p = text ?? path?.text, !missing.contains(p) else { return }
        missing.append(p)
    }

    // MARK: Scalars

    /// Whether `e` certainly has no items, told without evaluating it in full: when nothing is
    /// traced and `e` is a field reached by its route (`case.cp_plans`) that is absent or an empty
    /// list. False whenever that cannot be told this way.
    func certainlyNoItems(_ e: CompiledExpression) -> Bool {
        guard !tracing, e.route.first >= 0 else { return false }
        return !fieldIsPresent(e.route)
    }

    /// Whether `e`, a field of the case reached by its route (`case.cp_plans`), is absent or an
    /// empty list in `caseRecord`; false whenever that cannot be told this way. (Looked at where
    /// it lies: reading the list out counted a reference to it.)
    static func certainlyNoItems(_ e: CompiledExpression, inCase caseRecord: RecordValue) -> Bool {
        let route = e.route
        guard route.from < 0, route.first >= 0 else { return false }
        return certainlyNoItems(route, in: caseRecord)
    }

    /// Whether the field `route` reaches from `record` (its `first` field, or that field's
    /// `second`) is absent or an empty list, looked at where it lies. `route.first` ≥ 0.
    @inline(__always)
    static func certainlyNoItems(_ route: (from: Int, first: Int, second: Int), in record: RecordValue) -> Bool {
        route.second < 0 ? !record.isPresent(route.first) : !record.isPresent(route.first, route.second)
    }

    /// The value of a field reached by `route` (see `CompiledExpression.route`): from the case or
    /// an item, one field or a field of a field; `absent` where a record on the way is not there.
    @inline(__always)
    private func read(_ route: (from: Int, first: Int, second: Int)) -> Value {
        let v: Value
        if route.from < 0 {
            // (A field of a field is read where the inner record lies, without copying it out.)
            if route.second >= 0 { return caseRecord.field(route.first, route.second) }
            v = caseRecord.field(route.first)
        } else {
            guard case .record(let item) = locals[route.from].value else { return .absent }
            v = item.field(route.first)
        }
        guard route.second >= 0 else { return v }
        guard case .record(let r) = v else { return .absent }
        return r.field(route.second)
    }

    /// Whether `read(route)` would give a value that is present, told where it lies.
    @inline(__always)
    private func fieldIsPresent(_ route: (from: Int, first: Int, second: Int)) -> Bool {
        if route.from < 0 { return !ExpressionEvaluator.certainlyNoItems(route, in: caseRecord) }
        return locals.withUnsafeBufferPointer { locals in
            guard case .record(let item) = locals[route.from].value else { return false }
            return !ExpressionEvaluator.certainlyNoItems(route, in: item)
        }
    }

    /// Traced, a field of the case, or a field of a record field of the case, whose path is made
    /// once when compiled, read where it lies (`e.route.first` ≥ 0), with that path: evaluating
    /// the case and the record on the way copied each out, counting a reference to it, and
    /// neither records anything (a record is not a fact). Nil for any other expression.
    @inline(__always)
    private func tracedCaseField(_ e: CompiledExpression) -> (value: Value, path: Unmanaged<FixedPath>)? {
        guard e.route.from < 0, let fixed = e.unretainedFixedPath, e.route.second < 0 || caseRecord.holdsRecord(e.route.first)
        else { return nil }
        return (e.route.second < 0 ? caseRecord.field(e.route.first) : caseRecord.field(e.route.first, e.route.second), fixed)
    }

    /// The value `v` of the field `e` (named `name`), read with tracing from `path` (whose text is
    /// `text` when made once when compiled): noted missing when absent, and recorded as a fact
    /// unless it is a record or a list (the step that uses those records them).
    private mutating func fieldRead(_ e: CompiledExpression, _ v: Value, path: ValuePath?, text: String?, name: String) -> Evaluated {
        noteFieldRead(e, v, path: path, text: text, name: name)
        return Evaluated(value: v, path: path)
    }

    /// What `fieldRead` notes and records of a field read, without returning it.
    @inline(__always)
    private mutating func noteFieldRead(_ e: CompiledExpression, _ v: Value, path: ValuePath?, text: String?, name: String) {
        switch v {
        case .record, .list: break
        default:
            if case .absent = v { noteMissing(path, text: text) }
            record(.fact(label: e.label, value: v, path: text ?? path?.text ?? name))
        }
    }

    mutating func eval(_ e: CompiledExpression) -> Evaluated {
        // `date + duration`, through its unretained parts (see `CompiledExpression.unretainedShift`).
        if let s = e.unretainedShift {
            return s.base._withUnsafeGuaranteedRef { base in
                s.by._withUnsafeGuaranteedRef { by in shift(base, by, s.negative, label: e.label) }
            }
        }
        // A field of the case or of an item, or of one of their fields (`route`), before `kind` is
        // taken apart (binding the field's parts counted a reference to each, on every read).
        if e.route.first >= 0 {
            // When nothing is traced: read in one step (no path, fact or missing field is noted).
            if !tracing { return Evaluated(value: read(e.route), path: nil) }
            if let (v, fixed) = tracedCaseField(e) {
                // (`name` is what a path without text falls back on: here the text is known.)
                return fixed._withUnsafeGuaranteedRef { f in fieldRead(e, v, path: f.path, text: f.text, name: f.text) }
            }
        }
        // A condition, through its unretained parts (see `CompiledExpression.unretainedLogic`).
        if let logic = e.unretainedLogic { return eval(logic, label: e.label) }
        switch e.kind {
        case .constant(let v): return Evaluated(value: v, path: nil)
        case .duration: return .absent  // durations are read by `duration(_:)`
        case .root: return Evaluated(value: .record(caseRecord), path: tracing ? ValuePath.root : nil)
        case .local(let i): return locals[i]
        case .param(let i):
            // (Named only when traced, as in `duration(_:)`: copied to be named, the parameter was
            // copied twice for every group judged against it.)
            let (v, from) = program.params[i].value(at: asOf)
            if tracing && quiet == 0 {
                let p = program.params[i]
                record(.param(name: p.name, value: v, from: from, location: p.location, note: p.note))
            }
            return Evaluated(value: paramValue(v), path: nil)
        case .field(let base, let slot, let name):
            let b = eval(base)
            // Where the value was read: made once when compiled for a field of fields of the case.
            let fixed = b.path == nil ? nil : e.fixedPath
            let path = fixed?.path ?? b.path?.child(name)
            guard case .record(let r) = b.value else {
                if case .absent = b.value { noteMissing(path ?? b.path) }
                return Evaluated(value: .absent, path: path)
            }
            return fieldRead(e, r.field(slot), path: path, text: fixed?.text, name: name)
        case .project, .selection:
            let items = evalList(e)
            return Evaluated(value: .list(ValueList(items.map(\.value))), path: nil)
        case .shift(let base, let by, let negative):
            return shift(base, by, negative, label: e.label)
        case .arithmetic(let op, let a, let b):
            let x = eval(a)
            let y = eval(b)
            guard case .number(let m) = x.value, case .number(let n) = y.value else { return .absent }
            return Evaluated(value: .number(op == .plus ? m + n : m - n), path: nil)
        case .negate(let a):
            let x = eval(a)
            guard case .number(let n) = x.value else { return .absent }
            return Evaluated(value: .number(-n), path: nil)
        case .compare, .and, .or, .not, .presence:
            return .absent  // evaluated through `unretainedLogic`, above
        case .aggregate(let op, let sel):
            if let g = groupAggregates[e.span] {
                record(.aggregate(label: e.label, value: g.value, path: g.from, items: g.items))
                return Evaluated(value: g.value, path: nil)
            }
            return aggregate(op, sel, label: e.label)
        case .between(let unit, let a, let b):
            let x = eval(a)
            let y = eval(b)
            guard case .date(let d1) = x.value, case .date(let d2) = y.value else { return .absent }
            guard let n = count(unit, from: d1, to: d2) else { return .absent }
            let calendarName = unit == .workingDays ? rule.calendar?.name : nil
            record(.count(label: e.label, value: n, unit: unit, calendar: calendarName))
            return Evaluated(value: .number(Double(n)), path: nil)
        }
    }

    /// `eval` of a comparison, `and`, `or`, `not` or `present`/`missing`, its parts reached
    /// without counting references to them.
    private mutating func eval(_ logic: CompiledExpression.Logic, label: String) -> Evaluated {
        Evaluated(value: truth(logic, label: label).map(Value.bool) ?? .absent, path: nil)
    }

    /// Whether `e` holds: its value when it is yes or no, nil otherwise (not known). As
    /// `truth(eval(e))`, without the evaluated value around a condition's answer, made and
    /// destroyed for every condition and every part of one.
    mutating func evalTruth(_ e: CompiledExpression) -> Bool? {
        if e.unretainedShift == nil {
            if let logic = e.unretainedLogic {
                // Untraced, `is present` / `is absent` of a field reached by its route, looked at
                // where it lies, as `truth` looks at it, without the call (asked of most cases by
                // several rules' `applies when`).
                if !tracing, case .presence(let a, let present) = logic {
                    let route = a._withUnsafeGuaranteedRef { $0.route }
                    if route.first >= 0 { return fieldIsPresent(route) == present }
                }
                return truth(logic, label: e.label)
            }
            // A yes/no field read in one step, as `eval` reads it untraced.
            if !tracing, e.route.first >= 0 {
                if case .bool(let b) = read(e.route) { return b }
                return nil
            }
        }
        return truth(eval(e))
    }

    /// `evalTruth` of a condition.
    private mutating func truth(_ logic: CompiledExpression.Logic, label: String) -> Bool? {
        @inline(__always) func sub(_ u: Unmanaged<CompiledExpression>) -> Evaluated { u._withUnsafeGuaranteedRef { eval($0) } }
        @inline(__always) func holds(_ u: Unmanaged<CompiledExpression>) -> Bool? { u._withUnsafeGuaranteedRef { evalTruth($0) } }
        switch logic {
        case .compare(let op, let a, let b):
            let x = sub(a)
            let y = sub(b)
            let result = compare(op, x.value, y.value)
            if quiet == 0 { record(.condition(label: label, result: result)) }
            return result
        case .and(let a, let b):
            let x = holds(a)
            if x == false { return false }
            let y = holds(b)
            if y == false { return false }
            if x == true && y == true { return true }
            return nil
        case .or(let a, let b):
            let x = holds(a)
            if x == true { return true }
            let y = holds(b)
            if y == true { return true }
            if x == false && y == false { return false }
            return nil
        case .not(let a):
            guard let x = holds(a) else { return nil }
            return !x
        case .presence(let a, let present):
            probing += 1
            let isPresent = a._withUnsafeGuaranteedRef { a in
                // Untraced, a field reached by its route is looked at where it lies (`eval(a)` read
                // it out as `read(route)` does, copying a record or text, for one yes or no); a
                // list there is present when it has items, as `evalList` would tell.
                if !tracing, a.route.first >= 0 { return fieldIsPresent(a.route) }
                if case .list = a.type { return !evalList(a).isEmpty }
                // (Looked at in the value kept: `eval(a).value` copied the value out of it first.)
                let x = eval(a)
                return x.value.isPresent
            }
            probing -= 1
            return isPresent == present
        }
    }

    /// The date `e` evaluates to, if it is one. (Looked at in the value kept: `eval(e).value`
    /// copied the value out of the result first, and freed both.)
    mutating func evalDate(_ e: CompiledExpression) -> LocalDate? {
        // `date + duration`, as `eval` takes it first.
        if let s = e.unretainedShift {
            return s.base._withUnsafeGuaranteedRef { base in s.by._withUnsafeGuaranteedRef { by in shiftedDate(base, by, s.negative) } }
        }
        if e.route.first >= 0 {
            if tracing {
                if e.route.from < 0 { return tracedFieldDate(e) }
            } else {
                // A field read in one step, as `eval` reads it untraced, without the evaluated
                // value around it (made and destroyed for every date read).
                if case .date(let d) = read(e.route) { return d }
                return nil
            }
        }
        let x = eval(e)
        if case .date(let d) = x.value { return d }
        return nil
    }

    /// `evalDate` as `evalQuietly` evaluates: nothing recorded or noted missing.
    mutating func evalDateQuietly(_ e: CompiledExpression) -> LocalDate? {
        quiet += 1
        probing += 1
        defer {
            probing -= 1
            quiet -= 1
        }
        return evalDate(e)
    }

    /// `evalDate` of a field of the case, traced: when its path is made once when compiled, it
    /// is read, and noted and recorded, as `eval` reads it, without the path `eval` returns with
    /// it (counted to be returned, and freed unread). (Out of line: the fast pass's reads stay small.)
    @inline(never)
    private mutating func tracedFieldDate(_ e: CompiledExpression) -> LocalDate? {
        guard e.unretainedShift == nil, let (v, fixed) = tracedCaseField(e) else {
            let x = eval(e)
            if case .date(let d) = x.value { return d }
            return nil
        }
        fixed._withUnsafeGuaranteedRef { f in noteFieldRead(e, v, path: nil, text: f.text, name: f.text) }
        if case .date(let d) = v { return d }
        return nil
    }

    func truth(_ e: Evaluated) -> Bool? {
        if case .bool(let b) = e.value { return b }
        return nil
    }

    func paramValue(_ v: ParamValue) -> Value {
        switch v {
        case .number(let n): return .number(n)
        case .text(let s): return .text(s)
        case .bool(let b): return .bool(b)
        case .date(let d): return .date(d)
        case .duration: return .absent
        }
    }

    func compare(_ op: BinaryOperator, _ a: Value, _ b: Value) -> Bool? {
        func ordered<T: Comparable>(_ x: T, _ y: T) -> Bool {
            switch op {
            case .less: return x < y
            case .lessEqual: return x <= y
            case .greater: return x > y
            case .greaterEqual: return x >= y
            case .equal: return x == y
            default: return x != y
            }
        }
        switch a {
        case .number(let x):
            guard case .number(let y) = b else { return nil }
            return ordered(x, y)
        case .date(let x):
            guard case .date(let y) = b else { return nil }
            return ordered(x, y)
        case .text(let x):
            guard case .text(let y) = b else { return nil }
            return op == .equal ? x == y : x != y
        case .bool(let x):
            guard case .bool(let y) = b else { return nil }
            return op == .equal ? x == y : x != y
        default: return nil
        }
    }

    // MARK: Durations and days

    mutating func duration(_ e: CompiledExpression) -> Duration? {
        switch e.kind {
        case .duration(let d): return d
        case .param(let i):
            // (Read where it lies, and named only when traced: a copy of the parameter counted a
            // reference to its name, for every due date worked out from it.)
            let (v, from) = program.params[i].value(at: asOf)
            if tracing && quiet == 0 {
                let p = program.params[i]
                record(.param(name: p.name, value: v, from: from, location: p.location, note: p.note))
            }
            if case .duration(let d) = v { return d }
            return nil
        default: return nil
        }
    }

    /// `date ± duration`, by the rules of Grammar.md.
    mutating func shift(_ base: CompiledExpression, _ by: CompiledExpression, _ negative: Bool, label: String) -> Evaluated {
        guard let date = shiftedDate(base, by, negative) else { return .absent }
        return Evaluated(value: .date(date), path: nil)
    }

    /// The date of `shift`, without the evaluated value around it (see `evalDate`).
    mutating func shiftedDate(_ base: CompiledExpression, _ by: CompiledExpression, _ negative: Bool) -> LocalDate? {
        // Untraced, a field as `eval` reads it, in one step (its path is nil either way); traced,
        // by `eval`, with its path, named when the calendar cannot answer.
        if !tracing, base.route.first >= 0, base.unretainedShift == nil {
            guard let d = duration(by), case .date(let start) = read(base.route) else { return nil }
            return shiftedDate(start, by: d, negative, basePath: nil)
        }
        let b = eval(base)
        guard let d = duration(by), case .date(let start) = b.value else { return nil }
        return shiftedDate(start, by: d, negative, basePath: b.path)
    }

    /// `start` moved by `d` (back, when `negative`); nil, with a calendar problem noted about the
    /// field at `basePath`, when the calendar cannot answer.
    private mutating func shiftedDate(_ start: LocalDate, by d: Duration, _ negative: Bool, basePath: ValuePath?) -> LocalDate? {
        // (The rule reached without counting a reference to it: passing `rule` counted one.)
        let shifted = Unmanaged.passUnretained(rule)._withUnsafeGuaranteedRef {
            shiftDate(negative ? Duration(-d.amount, d.unit) : d, from: start, rule: $0, listSkipped: tracing, months: months)
        }
        switch shifted {
        case .success(let shifted):
            // (Only when tracing: taking the rule for the step counted a reference to it.)
            if tracing {
                let r = rule
                record(shifted.event(r))
            }
            return shifted.date
        case .failure(let err):
            calendarProblem = err
            calendarProblemField = basePath?.text
            if let p = basePath?.text, !missing.contains(p) { missing.append(p) }
            record(.calendarProblem(err))
            return nil
        }
    }

    /// Days or working days from `a` to `b`; `nil` (and a calendar problem) if the calendar
    /// cannot answer.
    mutating func count(_ unit: DurationUnit, from a: LocalDate, to b: LocalDate) -> Int? {
        switch unit {
        case .workingDays:
            guard let cal = rule.calendar else { return nil }
            switch cal.workingDays(from: a, to: b) {
            case .success(let n): return n
            case .failure(let err):
                calendarProblem = err
                record(.calendarProblem(err))
                return nil
            }
        case .weeks: return a.days(to: b) / 7
        default: return a.days(to: b)
        }
    }

    // MARK: Lists

    /// The items of a list-typed expression, each with its path. An absent list is empty.
    mutating func evalList(_ e: CompiledExpression) -> [Evaluated] {
        var items: [Evaluated] = []
        appendItems(of: e, to: &items)
        return items
    }

    /// Appends the items of a list-typed expression to `items` (see `evalList`).
    mutating func appendItems(of e: CompiledExpression, to items: inout [Evaluated]) {
        forEachItem(e) { _, item in items.append(item) }
    }

    /// Item `i` of a list-typed expression (as `evalList(e)[i]`), or nil past its end, without
    /// making the list.
    mutating func item(_ i: Int, of e: CompiledExpression) -> Evaluated? {
        var found: Evaluated?
        var k = 0
        forEachItem(e) { _, item in
            if k == i { found = item }
            k += 1
        }
        return found
    }

    /// The items of a selection that meet its condition (see `forEachItem(of:_:)`).
    mutating func select(_ sel: CompiledSelection) -> [Evaluated] {
        var items: [Evaluated] = []
        forEachItem(of: sel) { _, item in items.append(item) }
        return items
    }

    /// Calls `body` with each item of a list-typed expression, in order, with its path when
    /// tracing, without making a list (what `evalList` collects). An absent list has no items.
    mutating func forEachItem(_ e: CompiledExpression, _ body: (inout ExpressionEvaluator, Evaluated) -> Void) {
        switch e.kind {
        case .project(let base, let slot, let name):
            forEachItem(base) { ev, item in
                guard case .record(let r) = item.value else { return }
                let path = item.path?.child(name)
                switch r.field(slot) {
                case .absent: return
                case .list(let values):
                    for (i, v) in values.enumerated() { body(&ev, Evaluated(value: v, path: path?.element(i))) }
                case let v: body(&ev, Evaluated(value: v, path: path))
                }
            }
        case .selection(let sel):
            forEachItem(of: sel, body)
        default:
            // Untraced, a field reached by its route is read in one step, as `eval` reads it (no
            // path, nothing noted), and gone through where it lies.
            if !tracing, e.route.first >= 0, e.unretainedShift == nil {
                let value = read(e.route)
                switch value {
                case .list(let values):
                    for x in values { body(&self, Evaluated(value: x, path: nil)) }
                case let single where single.isPresent:
                    body(&self, Evaluated(value: single, path: nil))
                default: return
                }
                return
            }
            let v = evalQuietly(e)
            switch v.value {
            case .list(let values):
                for (i, x) in values.enumerated() { body(&self, Evaluated(value: x, path: v.path?.element(i))) }
            case let single where single.isPresent:
                body(&self, v)  // a single value (an aggregate over the cases of a group): a list of one
            default: return
            }
        }
    }

    /// Calls `body` with each item of a selection that meets its condition. Items whose condition
    /// cannot be decided (a field it reads is not recorded) are left out, and the trace says which.
    mutating func forEachItem(of sel: CompiledSelection, _ body: (inout ExpressionEvaluator, Evaluated) -> Void) {
        guard sel.condition != nil else { return forEachItem(sel.list, body) }
        var undecided: [String] = []
        let saved = locals[sel.itemSlot]
        forEachItem(sel.list) { ev, item in
            switch ev.meets(sel, item.value, path: item.path) {
            case true?: body(&ev, item)
            case false?: break
            case nil: if ev.tracing { undecided.append(item.path?.text ?? "?") }
            }
        }
        locals[sel.itemSlot] = saved
        recordUndecided(sel, paths: undecided)
    }

    /// Evaluates `e` with no trace events and absence expected: a list to go through, a `where`
    /// condition, a period's end (the step that uses the value records it).
    mutating func evalQuietly(_ e: CompiledExpression) -> Evaluated {
        quiet += 1
        probing += 1
        defer {
            probing -= 1
            quiet -= 1
        }
        return eval(e)
    }

    /// Whether an item (its value, and its path when tracing) meets a selection's `where`: true
    /// when there is none, `nil` when it cannot be told. A `where` on a yes/no field of the item
    /// (`where visit.seen_alone`) is read straight from the item; any other is evaluated with
    /// the item bound to its name, and left bound (the caller restores the slot). A function of
    /// its own: Swift 6.3.1's CopyPropagation pass crashes when this is written inside the
    /// closure that calls it.
    mutating func meets(_ sel: CompiledSelection, _ value: Value, path: @autoclosure () -> ValuePath?) -> Bool? {
        guard let cond = sel.condition else { return true }
        if let slot = sel.conditionField {
            guard case .record(let r) = value, case .bool(let b) = r.field(slot) else { return nil }
            return b
        }
        locals[sel.itemSlot] = Evaluated(value: value, path: path())
        quiet += 1
        probing += 1
        defer {
            probing -= 1
            quiet -= 1
        }
        return evalTruth(cond)
    }

    /// Records the items (by their paths) that a selection's `where` could not decide.
    mutating func recordUndecided(_ sel: CompiledSelection, paths: [String]) {
        guard let cond = sel.condition, !paths.isEmpty else { return }
        record(.undecided(label: "\(sel.list.label) where \(cond.label)", paths: paths))
    }

    mutating func aggregate(_ op: AggregateOperator, _ sel: CompiledSelection, label: String) -> Evaluated {
        // Untraced, the earliest or latest date is found going through the items, without a list
        // of them made first (and nothing recorded, as `done` records nothing untraced).
        if !tracing, op == .earliest || op == .latest {
            var best: LocalDate?
            forEachItem(of: sel) { _, item in
                guard case .date(let d) = item.value else { return }
                if let b = best, op == .earliest ? d >= b : d <= b { return }
                best = d
            }
            guard let best else {
                noteMissing(sel.list.kind.pathHint)
                return .absent
            }
            return Evaluated(value: .date(best), path: nil)
        }
        let items = select(sel)
        /// Every item's path (made only when traced): the first item's, its list positions past
        /// where the list starts (the case, or a `for each` item) written `[*]`.
        func listPath() -> String? {
            guard let first = items.first?.path else { return nil }
            return first.everyItemText(after: startLength(sel.list))
        }
        func done(_ v: Value, _ path: @autoclosure () -> String?) -> Evaluated {
            record(.aggregate(label: label, value: v, path: path(), items: items.count))
            return Evaluated(value: v, path: nil)
        }
        switch op {
        case .count:
            return done(.number(Double(items.count)), listPath())
        case .countDistinct:
            var seen: Set<String> = []
            for i in items {
                switch i.value {
                case .text(let s): seen.insert("t" + s)
                case .number(let n): seen.insert("n\(n)")
                case .date(let d): seen.insert("d\(d.dayNumber)")
                case .bool(let b): seen.insert("b\(b)")
                default: break
                }
            }
            return done(.number(Double(seen.count)), listPath())
        case .earliest, .latest:
            var best: (LocalDate, ValuePath?)?
            for i in items {
                guard case .date(let d) = i.value else { continue }
                if let b = best {
                    if op == .earliest ? d < b.0 : d > b.0 { best = (d, i.path) }
                } else {
                    best = (d, i.path)
                }
            }
            guard let (d, p) = best else {
                noteMissing(sel.list.kind.pathHint)
                return done(.absent, listPath())
            }
            return done(.date(d), p?.text)
        case .sum, .min, .max:
            let numbers = items.compactMap { i -> Double? in
                if case .number(let n) = i.value { return n }
                return nil
            }
            if op == .sum { return done(.number(numbers.reduce(0, +)), listPath()) }
            guard let v = op == .min ? numbers.min() : numbers.max() else { return done(.absent, listPath()) }
            return done(.number(v), listPath())
        }
    }
}

extension ExpressionEvaluator {
    /// The length of the path text where a list expression starts: `case`, or the path of the
    /// named item (`case.cp_plans[0]` for `plan.reviews` in `for each plan in case.cp_plans`).
    func startLength(_ e: CompiledExpression) -> Int {
        switch e.kind {
        case .root: return 4
        case .local(let i): return locals[i].path?.text.utf8.count ?? 0
        case .field(let b, _, _), .project(let b, _, _): return startLength(b)
        case .selection(let s): return startLength(s.list)
        default: return 0
        }
    }
}

extension CompiledExpression.Kind {
    /// A best-effort path for a list expression with no items, to name it as missing.
    var pathHint: ValuePath? {
        switch self {
        case .field(let b, _, let name), .project(let b, _, let name):
            return b.kind.pathHint?.child(name)
        case .root: return ValuePath.root
        default: return nil
        }
    }
}

/// The result of `date + duration`: the date, and what the workings out need to show the step.
struct Shifted {
    let date: LocalDate
    let duration: Duration
    let skipped: [Holiday]
    let clamped: Bool

    /// The workings' name for the step: `+ 10 working days`, `- 1 month`.
    static func label(_ d: Duration) -> String { (d.amount < 0 ? "- " : "+ ") + d.unit.describe(abs(d.amount)) }

    /// The trace event that shows the step (made only when tracing); `label`, when the caller
    /// has the step's name already (`label(_:)` of the same duration).
    func event(_ rule: CheckedRule, label: String? = nil) -> TraceEvent {
        let label = label ?? Shifted.label(duration)
        if duration.unit == .workingDays {
            return .shift(label: label, result: date, calendar: rule.calendar?.name, skipped: skipped, clamped: false, counting: rule.counting)
        }
        return .shift(label: label, result: date, calendar: nil, skipped: [], clamped: clamped, counting: nil)
    }
}

/// `date + duration` when only the answer is wanted (the fast pass): no holidays listed, no
/// error made; `nil` when the calendar cannot answer, and `shiftDate` then says why.
@inline(__always)
func shiftedDate(_ d: Duration, from start: LocalDate, rule: CheckedRule) -> LocalDate? {
    switch d.unit {
    case .days: return start.adding(days: d.amount)
    case .weeks: return start.adding(days: 7 * d.amount)
    case .months: return start.adding(months: d.amount).date
    case .years: return start.adding(months: 12 * d.amount).date
    case .workingDays: return rule.calendar?.date(adding: d.amount, workingDaysTo: start, counting: rule.counting)
    }
}

/// As `shiftedDate(_:from:rule:)`, with months added by the table at hand (`ExpressionEvaluator.months`).
/// (Its own function for a schedule's walk: one switch over every unit with the table, inlined
/// there, was called as a function instead, and cost 1% more.)
@inline(__always)
func shiftedDate(_ d: Duration, from start: LocalDate, rule: CheckedRule, months: MonthTable) -> LocalDate? {
    switch d.unit {
    case .months, .years: return start.adding(months: d.unit == .years ? 12 * d.amount : d.amount, in: months).date
    default: return shiftedDate(d, from: start, rule: rule)
    }
}

/// `date + duration` (negative amounts count back). The holidays skipped are listed only when
/// `listSkipped` (for the workings out).
/// `months`: the month table (`ExpressionEvaluator.months`), taken once by the caller.
func shiftDate(_ d: Duration, from start: LocalDate, rule: CheckedRule, listSkipped: Bool, months: MonthTable) -> Result<Shifted, CalendarError> {
    let n = d.amount
    switch d.unit {
    case .days, .weeks:
        return .success(Shifted(date: start.adding(days: d.unit == .weeks ? 7 * n : n), duration: d, skipped: [], clamped: false))
    case .months, .years:
        let (r, clamped) = start.adding(months: d.unit == .years ? 12 * n : n, in: months)
        return .success(Shifted(date: r, duration: d, skipped: [], clamped: clamped))
    case .workingDays:
        guard let cal = rule.calendar else {
            return .failure(.outOfRange(calendar: "(none)", needed: start, covers: start...start))
        }
        return cal.add(n, workingDaysTo: start, counting: rule.counting, listSkipped: listSkipped).map {
            Shifted(date: $0.date, duration: d, skipped: $0.skippedHolidays, clamped: false)
        }
    }
}
