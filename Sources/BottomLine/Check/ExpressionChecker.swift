/// Resolves names and checks types of the expressions of one rule, compiling them to
/// `CompiledExpression`s. Each mistake is reported once; an expression with an error gets the
/// type `.unknown`, which matches anything, so errors do not cascade.
struct ExpressionChecker {
    let schema: RecordSchema
    let params: [CheckedParam]
    let paramIndex: [String: Int]
    let calendar: WorkingCalendar?
    let calendarDeclared: Bool
    var diagnostics: [Diagnostic] = []
    var usedParams: Set<Int> = []
    var locals: [String: (slot: Int, type: ValueType)] = [:]
    var localCount = 0
    var reportedNoCalendar = false
    /// Inside the requirement of a rule across cases, an aggregate ranges over the group's cases,
    /// so a value of one case (`case.child.id`) counts as a list of one.
    var aggregatesOverGroup = false

    init(schema: RecordSchema, params: [CheckedParam], paramIndex: [String: Int], calendar: WorkingCalendar?, calendarDeclared: Bool) {
        self.schema = schema
        self.params = params
        self.paramIndex = paramIndex
        self.calendar = calendar
        self.calendarDeclared = calendarDeclared
    }

    mutating func error(_ code: DiagnosticCode, _ message: String, at span: Span, help: String? = nil, fixIt: FixIt? = nil) {
        diagnostics.append(Diagnostic(code, message, at: span, help: help, fixIt: fixIt))
    }

    /// Binds a name to a new local slot.
    mutating func bind(_ name: Identifier, type: ValueType) -> Int {
        if name.name == "case" || locals[name.name] != nil || paramIndex[name.name] != nil {
            error(.nameAlreadyBound, "the name `\(name.name)` is already in use", at: name.span,
                help: "choose another name for the items")
        }
        let slot = localCount
        localCount += 1
        locals[name.name] = (slot, type)
        return slot
    }

    mutating func needCalendar(at span: Span) {
        guard calendar == nil, !calendarDeclared, !reportedNoCalendar else { return }
        reportedNoCalendar = true
        error(.noCalendar, "working days need a calendar, and this file does not name one", at: span,
            help: "add `use calendar england-and-wales` at the top of the file")
    }

    /// Whether the expression counts working days anywhere.
    func usesWorkingDays(_ e: CompiledExpression) -> Bool {
        switch e.kind {
        case .duration(let d): return d.unit == .workingDays
        case .param(let i):
            if case .duration(let d) = params[i].values[0].value { return d.unit == .workingDays }
            return false
        case .shift(let a, let b, _): return usesWorkingDays(a) || usesWorkingDays(b)
        case .aggregate(_, let s): return usesWorkingDays(s.list)
        default: return false
        }
    }

    /// Compiles and checks that the result has the expected type.
    mutating func compile(_ e: ExpressionSyntax, expecting: ValueType, role: String) -> CompiledExpression {
        let c = compile(e)
        if c.type != .unknown && c.type != expecting {
            var help: String?
            if expecting == .bool, case .date = c.type { help = "compare it with something, or ask `is present`" }
            if expecting == .date, case .list(.date) = c.type { help = "choose one date with `earliest` or `latest`" }
            if case .aggregate(_, let sel) = e.kind, sel.condition != nil {
                help = "the condition after `where` runs to the end of the line; to compare the result, put it in brackets: `(\(c.label.split(separator: " ").prefix(2).joined(separator: " ")) … where …) > 2`"
            }
            error(.typeMismatch, "\(role) should be \(expecting), but this is \(c.type)", at: e.span, help: help)
        }
        return c
    }

    mutating func compile(_ e: ExpressionSyntax) -> CompiledExpression {
        func make(_ k: CompiledExpression.Kind, _ t: ValueType, _ label: String) -> CompiledExpression {
            CompiledExpression(kind: k, type: t, label: label, span: e.span)
        }
        switch e.kind {
        case .number(let n): return make(.constant(.number(n)), .number, formatNumber(n))
        case .text(let s): return make(.constant(.text(s)), .text, "\"\(s)\"")
        case .bool(let b): return make(.constant(.bool(b)), .bool, b ? "true" : "false")
        case .date(let d): return make(.constant(.date(d)), .date, d.longDescription)
        case .duration(let d):
            if d.unit == .workingDays { needCalendar(at: e.span) }
            return make(.duration(d), .duration, d.description)
        case .name(let n): return compileName(n, e)
        case .field(let base, let field): return compileField(base, field, e)
        case .negate(let inner):
            let c = compile(inner)
            if c.type != .number && c.type != .unknown {
                error(.typeMismatch, "only a number can be negative; this is \(c.type)", at: inner.span)
                return make(.negate(c), .unknown, "-" + c.label)
            }
            return make(.negate(c), c.type, "-" + c.label)
        case .not(let inner):
            let c = compile(inner, expecting: .bool, role: "the value after `not`")
            return make(.not(c), .bool, "not " + c.label)
        case .binary(let op, let l, let r): return compileBinary(op, l, r, e)
        case .presence(let inner, let present):
            let c = compile(inner)
            return make(.presence(c, present: present), .bool, "\(c.label) is \(present ? "present" : "absent")")
        case .aggregate(let op, let sel): return compileAggregate(op, sel, e)
        case .selection(let sel):
            let s = compileSelection(sel)
            return make(.selection(s), s.list.type, s.list.label + (s.condition.map { " where " + $0.label } ?? ""))
        case .between(let unit, let a, let b):
            let ca = compile(a, expecting: .date, role: "the start of the count")
            let cb = compile(b, expecting: .date, role: "the end of the count")
            if unit == .workingDays { needCalendar(at: e.span) }
            return make(.between(unit, ca, cb), .number, "\(unit.rawValue) from \(ca.label) to \(cb.label)")
        }
    }

    mutating func compileName(_ n: String, _ e: ExpressionSyntax) -> CompiledExpression {
        if n == "case" {
            return CompiledExpression(kind: .root, type: .record(schema), label: "case", span: e.span)
        }
        if let l = locals[n] {
            return CompiledExpression(kind: .local(l.slot), type: l.type, label: n.replacingOccurrences(of: "_", with: " "), span: e.span)
        }
        if let i = paramIndex[n] {
            usedParams.insert(i)
            return CompiledExpression(kind: .param(i), type: params[i].type, label: n, span: e.span)
        }
        var candidates = Array(locals.keys) + Array(paramIndex.keys) + ["case"]
        candidates.sort()
        let s = closest(n, in: candidates)
        var help = s.map { "did you mean `\($0)`?" }
        if help == nil, schema.slot(of: n) != nil { help = "fields of the case are read through `case`: write `case.\(n)`" }
        if help == nil, n.contains("-"), let first = n.split(separator: "-").first,
            candidates.contains(String(first)) || schema.slot(of: String(first)) != nil
        {
            help = "to subtract, put spaces around `-`: `\(n.replacingOccurrences(of: "-", with: " - "))`"
        }
        error(.unknownName, "nothing called `\(n)` is defined here", at: e.span,
            help: help ?? "the names here are \(candidates.map { "`\($0)`" }.joined(separator: ", "))",
            fixIt: s.map { FixIt(span: e.span, replacement: $0) })
        return CompiledExpression(kind: .constant(.absent), type: .unknown, label: n, span: e.span)
    }

    static func fieldLabel(_ f: FieldSchema) -> String {
        f.label ?? f.name.replacingOccurrences(of: "_", with: " ")
    }

    mutating func compileField(_ base: ExpressionSyntax, _ field: Identifier, _ e: ExpressionSyntax) -> CompiledExpression {
        let b = compile(base)
        func lookup(_ r: RecordSchema) -> (Int, FieldSchema)? {
            if let slot = r.slot(of: field.name) { return (slot, r.fields[slot]) }
            let s = closest(field.name, in: r.fields.map(\.name))
            let path = pathText(base)
            error(.unknownField, "`\(path)` has no field `\(field.name)`", at: field.span,
                help: s.map { "did you mean `\(path).\($0)`?" }
                    ?? "its fields are \(r.fields.map { "`\($0.name)`" }.joined(separator: ", ")); a new field must be added to the schema first",
                fixIt: s.map { FixIt(span: field.span, replacement: $0) })
            return nil
        }
        switch b.type {
        case .unknown:
            return CompiledExpression(kind: .constant(.absent), type: .unknown, label: field.name, span: e.span)
        case .record(let r):
            guard let (slot, f) = lookup(r) else {
                return CompiledExpression(kind: .constant(.absent), type: .unknown, label: field.name, span: e.span)
            }
            return CompiledExpression(kind: .field(b, slot: slot, name: f.name), type: ValueType(f.type), label: ExpressionChecker.fieldLabel(f), span: e.span)
        case .list(.record(let r)):
            guard let (slot, f) = lookup(r) else {
                return CompiledExpression(kind: .constant(.absent), type: .unknown, label: field.name, span: e.span)
            }
            var t = ValueType(f.type)
            if case .list(let inner) = t { t = inner }
            return CompiledExpression(kind: .project(b, slot: slot, name: f.name), type: .list(t), label: ExpressionChecker.fieldLabel(f), span: e.span)
        default:
            error(.typeMismatch, "`\(pathText(base))` is \(b.type), which has no fields", at: field.span,
                help: "only records have fields; check the path against the schema")
            return CompiledExpression(kind: .constant(.absent), type: .unknown, label: field.name, span: e.span)
        }
    }

    func pathText(_ e: ExpressionSyntax) -> String {
        switch e.kind {
        case .name(let n): return n
        case .field(let b, let f): return pathText(b) + "." + f.name
        default: return "(…)"
        }
    }

    mutating func compileBinary(_ op: BinaryOperator, _ l: ExpressionSyntax, _ r: ExpressionSyntax, _ e: ExpressionSyntax) -> CompiledExpression {
        let a = compile(l)
        let b = compile(r)
        func make(_ k: CompiledExpression.Kind, _ t: ValueType, _ label: String) -> CompiledExpression {
            CompiledExpression(kind: k, type: t, label: label, span: e.span)
        }
        let unknown = a.type == .unknown || b.type == .unknown
        switch op {
        case .and, .or:
            for (x, ex) in [(a, l), (b, r)] where x.type != .bool && x.type != .unknown {
                error(.typeMismatch, "`\(op.rawValue)` joins conditions, but this is \(x.type)", at: ex.span,
                    help: "compare it with something to make a condition")
            }
            return make(op == .and ? .and(a, b) : .or(a, b), .bool, "\(a.label) \(op.rawValue) \(b.label)")
        case .plus, .minus:
            let label = "\(a.label) \(op.rawValue) \(b.label)"
            if unknown { return make(.arithmetic(op, a, b), .unknown, label) }
            switch (a.type, b.type) {
            case (.date, .duration):
                return make(.shift(a, by: b, negative: op == .minus), .date, label)
            case (.duration, .date) where op == .plus:
                return make(.shift(b, by: a, negative: false), .date, label)
            case (.number, .number):
                return make(.arithmetic(op, a, b), .number, label)
            case (.date, .number):
                error(.typeMismatch, "cannot \(op == .plus ? "add a number to" : "take a number from") a date", at: r.span,
                    help: "give the number a unit, like `\(r.kind.numberText ?? "15") working days` or `\(r.kind.numberText ?? "15") days`")
            case (.date, .date):
                error(.typeMismatch, "cannot \(op == .plus ? "add" : "subtract") two dates", at: e.span,
                    help: "to count the days between them, write `days from A to B` or `working days from A to B`")
            default:
                error(.typeMismatch, "cannot \(op == .plus ? "add" : "subtract") \(b.type) \(op == .plus ? "to" : "from") \(a.type)", at: e.span,
                    help: "`+` and `-` work on numbers, and on a date with a duration")
            }
            return make(.arithmetic(op, a, b), .unknown, label)
        default:
            let label = "\(a.label) \(op.rawValue) \(b.label)"
            if !unknown {
                let ok: Bool
                switch (a.type, b.type) {
                case (.number, .number), (.date, .date): ok = true
                case (.text, .text), (.bool, .bool): ok = op == .equal || op == .notEqual
                default: ok = false
                }
                if !ok {
                    if a.type == b.type {
                        error(.typeMismatch, "\(a.type) can only be compared with `=` or `!=`", at: e.span)
                    } else {
                        error(.typeMismatch, "cannot compare \(a.type) with \(b.type)", at: e.span,
                            help: "both sides of `\(op.rawValue)` must be the same kind of value")
                    }
                }
            }
            return make(.compare(op, a, b), .bool, label)
        }
    }

    mutating func compileSelection(_ sel: Selection) -> CompiledSelection {
        let list = compile(sel.list)
        // `case.visits.date where visit.seen_alone`: filter the visits, then take their dates.
        if sel.condition != nil, case .project(let base, let slot, let name) = list.kind, case .field(let baseSyntax, _) = sel.list.kind {
            let inner = compileSelection(Selection(list: baseSyntax, itemName: sel.itemName, condition: sel.condition), compiledList: base)
            let filtered = CompiledExpression(kind: .selection(inner), type: base.type, label: base.label, span: sel.list.span)
            let projected = CompiledExpression(kind: .project(filtered, slot: slot, name: name), type: list.type,
                label: list.label + (inner.condition.map { " where " + $0.label } ?? ""), span: sel.list.span)
            return CompiledSelection(list: projected, itemSlot: inner.itemSlot, itemName: inner.itemName, condition: nil)
        }
        return compileSelection(sel, compiledList: list)
    }

    mutating func compileSelection(_ sel: Selection, compiledList list: CompiledExpression) -> CompiledSelection {
        var itemType = ValueType.unknown
        if case .list(let t) = list.type {
            itemType = t
        } else if aggregatesOverGroup {
            itemType = list.type
        } else if list.type != .unknown {
            error(.notAList, "this should be a list, but it is \(list.type)", at: sel.list.span)
        }
        let name: Identifier
        if let n = sel.itemName {
            name = n
        } else if let last = lastField(sel.list), let singular = singular(last) {
            name = Identifier(singular, span: sel.list.span)
        } else {
            if sel.condition != nil {
                error(.syntax, "name the items of this list before `where`", at: sel.list.span,
                    help: "write `\(pathText(sel.list)) as item where …`, choosing a name for `item`")
            }
            name = Identifier("item", span: sel.list.span)
        }
        let saved = locals
        let slot = bind(name, type: itemType)
        let cond = sel.condition.map { compile($0, expecting: .bool, role: "the condition after `where`") }
        locals = saved
        return CompiledSelection(list: list, itemSlot: slot, itemName: name.name, condition: cond)
    }

    func lastField(_ e: ExpressionSyntax) -> String? {
        if case .field(_, let f) = e.kind { return f.name }
        return nil
    }

    /// The singular of a plural field name: `visits` → `visit`, `case_summaries` → `case_summary`.
    func singular(_ w: String) -> String? {
        if w.hasSuffix("ies") { return String(w.dropLast(3)) + "y" }
        if w.hasSuffix("s") && !w.hasSuffix("ss") { return String(w.dropLast()) }
        return nil
    }

    mutating func compileAggregate(_ op: AggregateOperator, _ sel: Selection, _ e: ExpressionSyntax) -> CompiledExpression {
        let s = compileSelection(sel)
        var itemType = ValueType.unknown
        if case .list(let t) = s.list.type { itemType = t } else if aggregatesOverGroup { itemType = s.list.type }
        var label = "\(op.rawValue) \(s.list.label)"
        if let c = s.condition { label += " where \(c.label)" }
        let resultType: ValueType
        switch op {
        case .count: resultType = .number
        case .countDistinct:
            if case .record = itemType {
                error(.typeMismatch, "`count of distinct` needs a list of values, not of records", at: sel.list.span,
                    help: "name the field to compare, like `count of distinct case.child.id`")
            }
            resultType = .number
        case .earliest, .latest:
            if itemType != .date && itemType != .unknown {
                error(.typeMismatch, "`\(op.rawValue)` needs a list of dates, but this is \(s.list.type)", at: sel.list.span,
                    help: "name a date field, like `\(op.rawValue) case.assessments.start`")
            }
            resultType = .date
        case .sum, .min, .max:
            if itemType != .number && itemType != .unknown {
                error(.typeMismatch, "`\(op.rawValue)` needs a list of numbers, but this is \(s.list.type)", at: sel.list.span)
            }
            resultType = .number
        }
        return CompiledExpression(kind: .aggregate(op, s), type: resultType, label: label, span: e.span)
    }
}

extension ExpressionSyntax.Kind {
    /// The number's text, for help messages.
    var numberText: String? {
        if case .number(let n) = self { return formatNumber(n) }
        return nil
    }
}

/// A number as people write it: `17`, not `17.0`.
func formatNumber(_ n: Double) -> String {
    if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
    return String(n)
}
