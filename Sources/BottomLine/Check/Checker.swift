/// Stage 3: syntax trees of a rule set → a checked program. Reports every problem it finds
/// (unknown fields with near misses, type errors, missing citations, unknown calendars, unused
/// params…); returns a program only when there are no errors.
public func check(_ files: [RuleFileSyntax], sources: SourceMap) -> (program: CheckedProgram?, diagnostics: [Diagnostic]) {
    var c = Checker(sources: sources)
    let program = c.run(files)
    return (c.diagnostics.hasErrors ? nil : program, c.diagnostics)
}

struct Checker {
    let sources: SourceMap
    var diagnostics: [Diagnostic] = []

    var schema = RecordSchema(fields: [])
    var schemaFound = false
    var calendars: [String: WorkingCalendar] = [:]
    var calendarSpans: [String: Span] = [:]
    var params: [CheckedParam] = []
    var paramIndex: [String: Int] = [:]
    var paramSpans: [Span] = []
    var paramUsed: [Bool] = []

    init(sources: SourceMap) { self.sources = sources }

    mutating func error(_ code: DiagnosticCode, _ message: String, at span: Span?, help: String? = nil, fixIt: FixIt? = nil, notes: [DiagnosticNote] = []) {
        diagnostics.append(Diagnostic(code, message, at: span, notes: notes, help: help, fixIt: fixIt))
    }

    mutating func run(_ files: [RuleFileSyntax]) -> CheckedProgram {
        // Pass 1: schema, calendars and params, from every file, so order of files doesn't matter.
        for file in files {
            for decl in file.declarations {
                switch decl {
                case .schema(let s): checkSchema(s)
                case .calendar(let c): checkCalendar(c)
                case .param(let p): checkParam(p)
                default: break
                }
            }
        }
        // Pass 2: rules, with the calendar their file uses.
        var rules: [CheckedRule] = []
        var ruleSpans: [String: Span] = [:]
        var anyRule = false
        for file in files {
            var calendar: WorkingCalendar?
            var calendarUse: Span?
            for decl in file.declarations {
                if case .useCalendar(let u) = decl {
                    if let c = calendars[u.name.name] {
                        calendar = c
                    } else {
                        let s = closest(u.name.name, in: calendars.keys.sorted())
                        error(.unknownCalendar, "there is no calendar called `\(u.name.name)`", at: u.name.span,
                            help: s.map { "did you mean `\($0)`?" }
                                ?? (calendars.isEmpty ? "no calendar is defined in the rule set; the shipped one is in rules/calendars/england-and-wales.rules"
                                    : "the calendars defined are \(calendars.keys.sorted().map { "`\($0)`" }.joined(separator: ", "))"),
                            fixIt: s.map { FixIt(span: u.name.span, replacement: $0) })
                    }
                    calendarUse = u.span
                }
            }
            for decl in file.declarations {
                guard case .rule(let r) = decl else { continue }
                anyRule = true
                if let first = ruleSpans[r.id.name] {
                    error(.duplicateRule, "rule id `\(r.id.name)` is used twice", at: r.id.span,
                        help: "give each rule its own id; services key findings on it",
                        notes: [DiagnosticNote("first used here", at: first)])
                    continue
                }
                ruleSpans[r.id.name] = r.id.span
                if let rule = checkRule(r, calendar: calendar, calendarDeclared: calendarUse != nil, file: file.file) {
                    rules.append(rule)
                }
            }
        }
        if anyRule && !schemaFound {
            error(.noSchema, "the rule set has no `schema case`", at: nil,
                help: "add the standard schema (rules/schema.rules) to the rule set, or write one")
        }
        for (i, used) in paramUsed.enumerated() where !used {
            error(.unusedParam, "param `\(params[i].name)` is never used", at: paramSpans[i],
                help: "use it in a rule, or remove it")
        }
        return CheckedProgram(
            schema: schema, idField: "case_id", calendars: calendars, params: params, rules: rules,
            sources: sources)
    }

    // MARK: Schema

    mutating func checkSchema(_ s: SchemaDeclaration) {
        guard s.name.name == "case" else {
            error(.syntax, "only `schema case` is supported", at: s.name.span, help: "write `schema case`",
                fixIt: FixIt(span: s.name.span, replacement: "case"))
            return
        }
        if schemaFound {
            error(.duplicateDefinition, "`schema case` is defined twice", at: s.name.span,
                help: "keep one schema for the rule set")
            return
        }
        schemaFound = true
        schema = recordSchema(s.fields)
        if schema.slot(of: "case_id") == nil {
            error(.noSchema, "the schema has no `case_id` field", at: s.name.span,
                help: "add `case_id: text`; every finding names its case")
        }
    }

    mutating func recordSchema(_ fields: [FieldSyntax]) -> RecordSchema {
        var out: [FieldSchema] = []
        var seen: Set<String> = []
        for f in fields {
            if !seen.insert(f.name.name).inserted {
                error(.duplicateDefinition, "field `\(f.name.name)` is declared twice", at: f.name.span)
                continue
            }
            let t = schemaType(f.type)
            var optional = f.optional
            if case .list = t { optional = true }
            out.append(FieldSchema(name: f.name.name, type: t, optional: optional, label: f.label?.value))
        }
        return RecordSchema(fields: out)
    }

    mutating func schemaType(_ t: TypeSyntax) -> SchemaType {
        switch t {
        case .list(let inner): return .list(schemaType(inner))
        case .record(let fields): return .record(recordSchema(fields))
        case .named(let id):
            switch id.name {
            case "text": return .text
            case "number": return .number
            case "bool": return .bool
            case "date": return .date
            default:
                let s = closest(id.name, in: ["text", "number", "bool", "date"])
                error(.unknownName, "`\(id.name)` is not a type", at: id.span,
                    help: s.map { "did you mean `\($0)`?" } ?? "the types are `text`, `number`, `bool`, `date`, `list of …` and `{ … }`",
                    fixIt: s.map { FixIt(span: id.span, replacement: $0) })
                return .text
            }
        }
    }

    // MARK: Calendars

    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    mutating func checkCalendar(_ c: CalendarDeclaration) {
        if let first = calendarSpans[c.name.name] {
            error(.duplicateDefinition, "calendar `\(c.name.name)` is defined twice", at: c.name.span,
                notes: [DiagnosticNote("first defined here", at: first)])
            return
        }
        calendarSpans[c.name.name] = c.name.span
        var weekend: Set<Int> = []
        for w in c.weekend {
            if let i = Checker.weekdays.firstIndex(of: w.name.lowercased()) {
                weekend.insert(i + 1)
            } else {
                let s = closest(w.name.lowercased(), in: Checker.weekdays)
                error(.badCalendar, "`\(w.name)` is not a day of the week", at: w.span,
                    help: s.map { "did you mean `\($0)`?" } ?? "write the days in full: `saturday sunday`")
            }
        }
        guard let covers = c.covers else {
            error(.badCalendar, "calendar `\(c.name.name)` does not say which dates it covers", at: c.name.span,
                help: "add a line `covers 2012-01-01 to 2030-12-31`: arithmetic outside it is reported, never guessed")
            return
        }
        guard covers.from <= covers.to else {
            error(.badCalendar, "the covered range ends before it starts", at: covers.span)
            return
        }
        if c.source == nil {
            error(.missingSource, "calendar `\(c.name.name)` has no `source`", at: c.name.span,
                help: "add a `source` line saying where the holidays come from")
        }
        var holidays: [Holiday] = []
        var seen: [LocalDate: Span] = [:]
        for h in c.holidays {
            if h.date < covers.from || h.date > covers.to {
                error(.holidayOutsideRange, "holiday \(h.date) is outside the calendar's range (\(covers.from) to \(covers.to))",
                    at: h.span, help: "extend the `covers` line, or correct the date")
                continue
            }
            if let first = seen[h.date] {
                error(.duplicateHoliday, "\(h.date) is listed twice", at: h.span, help: "remove one of the lines",
                    notes: [DiagnosticNote("first listed here", at: first)])
                continue
            }
            seen[h.date] = h.span
            holidays.append(Holiday(date: h.date, name: h.name))
        }
        calendars[c.name.name] = WorkingCalendar(
            name: c.name.name, weekend: weekend, holidays: holidays, covers: covers.from...covers.to)
    }

    // MARK: Params

    static func paramType(_ v: ParamValue) -> ValueType {
        switch v {
        case .number: return .number
        case .text: return .text
        case .bool: return .bool
        case .date: return .date
        case .duration: return .duration
        }
    }

    mutating func checkParam(_ p: ParamDeclaration) {
        if let i = paramIndex[p.name.name] {
            error(.duplicateDefinition, "param `\(p.name.name)` is defined twice", at: p.name.span,
                notes: [DiagnosticNote("first defined here", at: paramSpans[i])])
            return
        }
        let type = Checker.paramType(p.value)
        var values: [(from: LocalDate?, value: ParamValue)] = [(nil, p.value)]
        var last: LocalDate?
        for ch in p.changes {
            if Checker.paramType(ch.value) != type {
                error(.typeMismatch, "param `\(p.name.name)` is \(type), but this value is \(Checker.paramType(ch.value))",
                    at: ch.span, help: "every value of a param has the same type")
            }
            if let l = last, ch.from <= l {
                error(.paramDatesOutOfOrder, "the `from` dates of param `\(p.name.name)` are not in order", at: ch.span,
                    help: "list the changes from the earliest date to the latest")
            }
            last = ch.from
            values.append((ch.from, ch.value))
        }
        paramIndex[p.name.name] = params.count
        paramSpans.append(p.name.span)
        paramUsed.append(false)
        params.append(
            CheckedParam(name: p.name.name, type: type, values: values, note: p.note?.value,
                location: sources.location(p.name.span)))
    }

    // MARK: Rules

    func compileSchedule(_ schedule: ScheduleClause, _ r: RuleDeclaration, _ scope: inout ExpressionChecker) -> RuleForm? {
        let from = scope.compile(schedule.from, expecting: .date, role: "the start of the schedule")
        for d in schedule.intervals + [schedule.alternative?.every].compactMap({ $0 }) where d.unit == .workingDays {
            scope.needCalendar(at: schedule.span)
        }
        for d in schedule.intervals where d.amount <= 0 {
            scope.error(.typeMismatch, "an interval must be longer than nothing", at: schedule.span,
                help: "give a positive number, like `every 10 working days`")
        }
        let when = schedule.alternative?.when.map { scope.compile($0, expecting: .bool, role: "the `when` condition") }
        let afterDate = schedule.alternative?.afterDate.map { scope.compile($0, expecting: .date, role: "the date after `after`") }
        let until = r.until.map { scope.compile($0, expecting: .date, role: "`until`") }
        guard let by = r.by else {
            scope.error(.missingDone, "rule `\(r.id.name)` says how often something is due but not which events meet it",
                at: r.id.span, help: "add a `by` line naming the dates of the events, like `by case.visits.date where visit.seen_alone`")
            return nil
        }
        let events = scope.compile(by)
        if events.type != .unknown && events.type != .list(.date) {
            scope.error(.typeMismatch, "`by` should be a list of dates, but this is \(events.type)", at: by.span,
                help: "name the date field of the events, like `case.visits.date`")
        }
        if r.due != nil || r.done != nil {
            scope.error(.conflictingForms, "`due` and `done` do not belong with `every` or `within`", at: r.id.span,
                help: "a recurring rule says `every …` and `by …`; the due dates follow from them")
        }
        return .schedule(CompiledSchedule(
            intervals: schedule.intervals, from: from,
            alternative: schedule.alternative.map { ($0.after, afterDate, $0.every, when) }, events: events, until: until, warn: r.warn))
    }

    func compilePopulation(_ across: AcrossClause, _ r: RuleDeclaration, _ scope: inout ExpressionChecker) -> RuleForm? {
        let key = scope.compile(across.key)
        switch key.type {
        case .text, .number, .date, .bool, .unknown: break
        default:
            scope.error(.typeMismatch, "cases can only be grouped by a single value, but this is \(key.type)", at: across.key.span,
                help: "group by a field such as `case.worker.id` or `case.worker.team`")
        }
        let groupSlot = across.name.map { scope.bind($0, type: key.type) }
        guard let req = r.require else {
            scope.error(.missingRequirement, "rule `\(r.id.name)` groups cases but does not say what each group must meet",
                at: r.id.span, help: "add `require`, like `require count of distinct case.child.id <= caseload-limit`")
            return nil
        }
        scope.aggregatesOverGroup = true
        let requirement = scope.compile(req, expecting: .bool, role: "`require`")
        scope.aggregatesOverGroup = false
        var aggregates: [(span: Span, op: AggregateOperator, selection: CompiledSelection)] = []
        func collect(_ e: CompiledExpression) {
            switch e.kind {
            case .aggregate(let op, let sel): aggregates.append((e.span, op, sel))
            case .compare(_, let a, let b), .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b):
                collect(a)
                collect(b)
            case .not(let a), .negate(let a), .presence(let a, _): collect(a)
            default: break
            }
        }
        collect(requirement)
        if aggregates.isEmpty {
            scope.error(.typeMismatch, "a rule across cases must count or add up something over each group", at: req.span,
                help: "use `count of`, `count of distinct`, `sum of`, `min of` or `max of`, like `count of distinct case.child.id <= 17`")
        }
        if r.done != nil || r.due != nil || r.warn != nil {
            scope.error(.conflictingForms, "`due`, `done` and `warn` do not belong with `across cases`", at: r.id.span)
        }
        return .population(CompiledPopulation(
            key: key, keyPath: scope.pathText(across.key), groupSlot: groupSlot, requirement: requirement, aggregates: aggregates))
    }

    mutating func checkRule(_ r: RuleDeclaration, calendar: WorkingCalendar?, calendarDeclared: Bool, file: FileID) -> CheckedRule? {
        let before = diagnostics.count
        // When the parser could not read all of the rule, a clause reported as missing may be in
        // the part it could not read: the syntax error is the one to fix first.
        let complete = !r.hasSyntaxErrors
        if r.title == nil && complete {
            error(.syntax, "rule `\(r.id.name)` has no title", at: r.id.span,
                help: "write the standard in words after the id: `rule \(r.id.name) \"…\"`")
        }
        if r.source == nil && complete {
            error(.missingSource, "rule `\(r.id.name)` has no `source`", at: r.id.span,
                help: "every rule cites where it comes from: add a line like `source \"Working Together to Safeguard Children 2018, chapter 1\"`, or `source \"Bottom line set by …\"`")
        }
        if r.kind == nil && complete {
            error(.missingKind, "rule `\(r.id.name)` has no `kind`", at: r.id.span,
                help: "add `kind statutory` or `kind bottom-line`")
        }
        var scope = ExpressionChecker(
            schema: schema, params: params, paramIndex: paramIndex, calendar: calendar,
            calendarDeclared: calendarDeclared)
        var forEach: (name: String, list: CompiledExpression)?
        if let fe = r.forEach {
            let list = scope.compile(fe.list)
            var itemType = ValueType.unknown
            if case .list(let t) = list.type {
                itemType = t
            } else if list.type != .unknown {
                scope.error(.notAList, "`for each` needs a list, but this is \(list.type)", at: fe.list.span,
                    help: "name a list field of the case, such as `case.section47`")
            }
            _ = scope.bind(fe.name, type: itemType)
            forEach = (fe.name.name, list)
        }
        let applies = r.appliesWhen.map { scope.compile($0, expecting: .bool, role: "the `applies when` condition") }
        var form: RuleForm?
        let forms = [r.due != nil, r.require != nil && r.across == nil, r.schedule != nil, r.across != nil].filter { $0 }.count
        if forms > 1 {
            scope.error(.conflictingForms, "rule `\(r.id.name)` mixes forms", at: r.id.span,
                help: "a rule has one of: `due … done …`, `require …`, `every …`/`within …` with `by …`, or `across cases … require …`; split it into several rules")
        } else if let schedule = r.schedule {
            form = compileSchedule(schedule, r, &scope)
        } else if let across = r.across {
            form = compilePopulation(across, r, &scope)
        } else if let due = r.due {
            let d = scope.compile(due, expecting: .date, role: "`due`")
            var done: CompiledExpression?
            if let doneExpr = r.done {
                done = scope.compile(doneExpr, expecting: .date, role: "`done`")
            } else if complete {
                scope.error(.missingDone, "rule `\(r.id.name)` says when something is due but not what shows it was done",
                    at: r.id.span, help: "add a `done` line naming the date of the event, like `done enquiry.icpc`")
            }
            if let done { form = .deadline(due: d, done: done, warn: r.warn) }
        } else if let req = r.require {
            form = .condition(scope.compile(req, expecting: .bool, role: "`require`"))
            if r.done != nil || r.warn != nil {
                scope.error(.conflictingForms, "`done` and `warn` belong with `due`, not with `require`", at: r.id.span,
                    help: "use either `due … done …` or `require …`")
            }
        } else if complete {
            scope.error(.missingRequirement, "rule `\(r.id.name)` does not say what it requires", at: r.id.span,
                help: "add `due … done …` for a deadline, `require …` for a condition, or `every … from …` with `by …` for a recurring event")
        }
        if r.schedule == nil, let by = r.by {
            scope.error(.conflictingForms, "`by` belongs with `every` or `within`", at: by.span,
                help: "add `every 10 working days from …`, or remove `by`")
        }
        if let w = r.warn, w.unit == .workingDays { scope.needCalendar(at: r.warnSpan ?? r.id.span) }
        var lateUnit = DurationUnit.days
        if case .deadline(let due, _, _)? = form, scope.usesWorkingDays(due) { lateUnit = .workingDays }
        if case .schedule(let s)? = form, s.intervals.contains(where: { $0.unit == .workingDays }) { lateUnit = .workingDays }
        let localCount = scope.localCount
        diagnostics += scope.diagnostics
        for i in scope.usedParams { paramUsed[i] = true }
        guard !Array(diagnostics[before...]).hasErrors, let form else { return nil }
        return CheckedRule(
            id: r.id.name, title: r.title?.value ?? r.id.name, source: r.source?.value ?? "",
            kind: r.kind?.name ?? "", forEach: forEach, appliesWhen: applies, form: form,
            calendar: calendar, counting: r.counting ?? .fromNextDay, localCount: localCount,
            lateUnit: lateUnit, location: sources.location(r.id.span), groupName: r.across?.name?.name)
    }
}
