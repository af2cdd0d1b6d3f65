/// Stage 2: tokens → syntax tree. Layout rule: a declaration starts in column 1; everything that
/// belongs to it is indented. After a syntax error the parser skips to the next clause (a known
/// clause word at the start of a line) or the next declaration, so one run reports every problem.
public func parse(_ tokens: [Token], file: FileID) -> (syntax: RuleFileSyntax, diagnostics: [Diagnostic]) {
    var p = Parser(tokens: tokens)
    let decls = p.parseFile()
    return (RuleFileSyntax(file: file, declarations: decls), p.diagnostics)
}

/// Thrown inside the parser to abandon the current clause; never escapes `parse`.
struct ParseAbort: Error {}

struct Parser {
    let tokens: [Token]
    var pos = 0
    var diagnostics: [Diagnostic] = []

    static let declarationWords: Set<String> = ["use", "calendar", "param", "schema", "rule", "test"]
    static let ruleClauseWords: Set<String> = [
        "source", "kind", "for", "applies", "due", "done", "warn", "require", "counting",
        "every", "within", "after", "by", "until", "across", "then",
    ]
    static let calendarClauseWords: Set<String> = ["source", "weekend", "covers", "holiday"]
    static let paramClauseWords: Set<String> = ["note", "from"]

    init(tokens: [Token]) { self.tokens = tokens }

    var current: Token { tokens[pos] }
    var atEnd: Bool { if case .endOfFile = current.kind { return true } else { return false } }
    /// Whether the current token begins a new declaration (in column 1, or the end of the file).
    var atDeclarationStart: Bool { atEnd || current.inColumnOne }

    mutating func advance() -> Token {
        let t = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    // MARK: Errors

    mutating func error(_ code: DiagnosticCode = .syntax, _ message: String, at span: Span, help: String? = nil, fixIt: FixIt? = nil) {
        diagnostics.append(Diagnostic(code, message, at: span, help: help, fixIt: fixIt))
    }

    mutating func fail(_ expected: String, help: String? = nil) -> ParseAbort {
        let t = current
        if t.inColumnOne && !atEnd {
            error(.layout, "expected \(expected) before the next declaration", at: t.span,
                help: help ?? "a line that starts in column 1 begins a new declaration; indent it if it belongs to the one above")
        } else {
            error(.syntax, "expected \(expected), found \(t.description)", at: t.span, help: help)
        }
        return ParseAbort()
    }

    /// Skips to the next clause start (one of `clauseWords` at the start of a line) or declaration.
    mutating func recover(to clauseWords: Set<String>) {
        if !atDeclarationStart { _ = advance() }
        while !atDeclarationStart {
            if current.startsLine, let w = current.word, clauseWords.contains(w) { return }
            _ = advance()
        }
    }

    // MARK: Token helpers

    mutating func expectWord(_ w: String, help: String? = nil) throws -> Token {
        guard current.isWord(w), !current.inColumnOne || pos == 0 else { throw fail("`\(w)`", help: help) }
        return advance()
    }

    mutating func expectSymbol(_ s: String, help: String? = nil) throws -> Token {
        guard current.isSymbol(s), !current.inColumnOne else { throw fail("`\(s)`", help: help) }
        return advance()
    }

    mutating func acceptWord(_ w: String) -> Token? {
        guard current.isWord(w), !current.inColumnOne else { return nil }
        return advance()
    }

    mutating func acceptSymbol(_ s: String) -> Token? {
        guard current.isSymbol(s), !current.inColumnOne else { return nil }
        return advance()
    }

    mutating func identifier(_ what: String) throws -> Identifier {
        guard let w = current.word, !current.inColumnOne else { throw fail(what) }
        let t = advance()
        return Identifier(w, span: t.span)
    }

    mutating func text(_ what: String) throws -> TextLiteral {
        guard case .string(let s) = current.kind, !current.inColumnOne else {
            throw fail(what, help: "text goes in double quotes, like \"Working Together 2018\"")
        }
        let t = advance()
        return TextLiteral(s, span: t.span)
    }

    mutating func date(_ what: String) throws -> (LocalDate, Span) {
        guard case .date(let d) = current.kind, !current.inColumnOne else {
            throw fail(what, help: "write dates as YYYY-MM-DD, for example `2019-03-04`")
        }
        let t = advance()
        return (d, t.span)
    }

    func spanFrom(_ start: Span) -> Span {
        let last = tokens[max(0, pos - 1)].span
        return last.end >= start.start ? start.through(last) : start
    }

    // MARK: File and declarations

    mutating func parseFile() -> [Declaration] {
        var decls: [Declaration] = []
        while !atEnd {
            let t = current
            guard let w = t.word, t.inColumnOne || pos == 0 || t.startsLine else {
                error(.syntax, "expected a declaration (`rule`, `param`, `schema`, `calendar` or `use`), found \(t.description)", at: t.span)
                skipDeclaration()
                continue
            }
            if !t.inColumnOne {
                error(.layout, "a declaration must start in column 1", at: t.span,
                    help: "remove the spaces before `\(w)`")
            }
            switch w {
            case "use": if let d = parseUse() { decls.append(.useCalendar(d)) }
            case "calendar": if let d = parseCalendar() { decls.append(.calendar(d)) }
            case "param": if let d = parseParam() { decls.append(.param(d)) }
            case "schema": if let d = parseSchema() { decls.append(.schema(d)) }
            case "rule": if let d = parseRule() { decls.append(.rule(d)) }
            case "test": if let d = parseTest() { decls.append(.test(d)) }
            default:
                if Parser.ruleClauseWords.contains(w) {
                    error(.layout, "`\(w)` must be indented under the rule it belongs to", at: t.span,
                        help: "start the line with two spaces; only `rule`, `param`, `schema`, `calendar` and `use` start in column 1",
                        fixIt: FixIt(span: Span(file: t.span.file, start: t.span.start, length: 0), replacement: "  "))
                } else {
                    let suggestion = closest(w, in: Parser.declarationWords.sorted())
                    error(.syntax, "expected a declaration (`rule`, `param`, `schema`, `calendar` or `use`), found \(t.description)",
                        at: t.span, help: suggestion.map { "did you mean `\($0)`?" })
                }
                skipDeclaration()
            }
        }
        return decls
    }

    mutating func skipDeclaration() {
        _ = advance()
        while !atDeclarationStart { _ = advance() }
    }

    /// Reports anything left on a declaration's line(s) after it was fully parsed.
    mutating func expectDeclarationEnd(_ what: String) {
        if !atDeclarationStart {
            error(.syntax, "unexpected \(current.description) after \(what)", at: current.span)
            skipDeclaration()
        }
    }

    mutating func parseUse() -> UseCalendarDeclaration? {
        let start = advance().span
        do {
            _ = try expectWord("calendar", help: "write `use calendar england-and-wales`")
            let name = try identifier("a calendar name")
            let d = UseCalendarDeclaration(name: name, span: spanFrom(start))
            expectDeclarationEnd("`use calendar \(name.name)`")
            return d
        } catch {
            skipDeclaration()
            return nil
        }
    }

    mutating func parseCalendar() -> CalendarDeclaration? {
        let start = advance().span
        guard let name = try? identifier("a calendar name") else {
            skipDeclaration()
            return nil
        }
        var decl = CalendarDeclaration(
            name: name, title: nil, source: nil, weekend: [], covers: nil, holidays: [], span: start)
        if case .string = current.kind, !current.inColumnOne { decl.title = try? text("a title") }
        while !atDeclarationStart {
            let t = current
            do {
                guard let w = t.word, t.startsLine else { throw fail("a calendar line (`source`, `weekend`, `covers` or `holiday`)") }
                _ = advance()
                switch w {
                case "source": decl.source = try text("the source in double quotes")
                case "weekend":
                    while let w = current.word, !current.startsLine {
                        decl.weekend.append(Identifier(w, span: advance().span))
                        _ = acceptSymbol(",")
                    }
                    if decl.weekend.isEmpty { throw fail("weekday names, like `saturday sunday`") }
                case "covers":
                    let (from, s) = try date("the first date covered")
                    _ = try expectWord("to", help: "write `covers 2012-01-01 to 2030-12-31`")
                    let (to, _) = try date("the last date covered")
                    decl.covers = (from, to, spanFrom(s))
                case "holiday":
                    let (d, s) = try date("the holiday's date")
                    let n = try text("the holiday's name in double quotes")
                    decl.holidays.append((d, n.value, s.through(n.span)))
                default:
                    pos -= 1
                    throw fail("a calendar line (`source`, `weekend`, `covers` or `holiday`)")
                }
            } catch {
                recover(to: Parser.calendarClauseWords)
            }
        }
        return CalendarDeclaration(
            name: decl.name, title: decl.title, source: decl.source, weekend: decl.weekend,
            covers: decl.covers, holidays: decl.holidays, span: spanFrom(start))
    }

    mutating func parseParamValue() throws -> ParamValue {
        let t = current
        guard !t.inColumnOne else { throw fail("a value") }
        switch t.kind {
        case .number(let n, _):
            _ = advance()
            if let unit = try parseDurationUnit() {
                guard n == n.rounded() else { throw fail("a whole number of \(unit.rawValue)") }
                return .duration(Duration(Int(n), unit))
            }
            return .number(n)
        case .date(let d):
            _ = advance()
            return .date(d)
        case .string(let s):
            _ = advance()
            return .text(s)
        case .word("true"):
            _ = advance()
            return .bool(true)
        case .word("false"):
            _ = advance()
            return .bool(false)
        default:
            throw fail("a value (a number, a duration, a date, text, `true` or `false`)")
        }
    }

    mutating func parseParam() -> ParamDeclaration? {
        let start = advance().span
        do {
            let name = try identifier("the param's name")
            _ = try expectSymbol("=", help: "write `param \(name.name) = 17`")
            let value = try parseParamValue()
            var decl = ParamDeclaration(name: name, value: value, note: nil, changes: [], span: start)
            while !atDeclarationStart {
                do {
                    guard current.startsLine, let w = current.word else { throw fail("`note` or `from DATE = VALUE`") }
                    let ws = advance().span
                    switch w {
                    case "note": decl.note = try text("the note in double quotes")
                    case "from":
                        let (d, _) = try date("the date the new value applies from")
                        _ = try expectSymbol("=")
                        let v = try parseParamValue()
                        decl.changes.append(ParamChange(from: d, value: v, span: spanFrom(ws)))
                    default:
                        pos -= 1
                        throw fail("`note` or `from DATE = VALUE`")
                    }
                } catch {
                    recover(to: Parser.paramClauseWords)
                }
            }
            return ParamDeclaration(name: decl.name, value: decl.value, note: decl.note, changes: decl.changes, span: spanFrom(start))
        } catch {
            skipDeclaration()
            return nil
        }
    }

    mutating func parseSchema() -> SchemaDeclaration? {
        let start = advance().span
        guard let name = try? identifier("the schema's name (`case`)") else {
            skipDeclaration()
            return nil
        }
        var fields: [FieldSyntax] = []
        while !atDeclarationStart {
            do {
                fields.append(try parseField())
            } catch {
                // Skip to the next line.
                _ = advance()
                while !atDeclarationStart && !current.startsLine { _ = advance() }
            }
        }
        return SchemaDeclaration(name: name, fields: fields, span: spanFrom(start))
    }

    mutating func parseField() throws -> FieldSyntax {
        let name = try identifier("a field name")
        _ = try expectSymbol(":", help: "write a field as `name: type`, for example `start: date?`")
        let type = try parseType()
        let optional = acceptSymbol("?") != nil
        var label: TextLiteral?
        if case .string = current.kind, !current.inColumnOne { label = try text("a label") }
        return FieldSyntax(name: name, type: type, optional: optional, label: label)
    }

    mutating func parseType() throws -> TypeSyntax {
        if acceptWord("list") != nil {
            _ = try expectWord("of", help: "write `list of date` or `list of { … }`")
            return .list(try parseType())
        }
        if acceptSymbol("{") != nil {
            var fields: [FieldSyntax] = []
            while acceptSymbol("}") == nil {
                fields.append(try parseField())
                if acceptSymbol(",") == nil, !current.isSymbol("}"), !current.startsLine {
                    throw fail("`,` or `}` after a field")
                }
            }
            return .record(fields)
        }
        let name = try identifier("a type (`text`, `number`, `bool`, `date`, `list of …` or `{ … }`)")
        return .named(name)
    }

    // MARK: Rules

    mutating func parseRule() -> RuleDeclaration? {
        let start = advance().span
        guard let id = try? identifier("the rule's id, like `icpc-timescale`") else {
            skipDeclaration()
            return nil
        }
        var rule = RuleDeclaration(id: id, span: start)
        if case .string = current.kind, !current.inColumnOne {
            rule.title = try? text("a title")
        } else if !atDeclarationStart && !current.startsLine {
            _ = fail("the rule's title in double quotes", help: "write `rule \(id.name) \"what the standard says\"`")
            recover(to: Parser.ruleClauseWords)
        }
        var seen: [String: Span] = [:]
        let errorsBefore = diagnostics.count
        while !atDeclarationStart {
            let t = current
            do {
                guard let w = t.word, t.startsLine else {
                    throw fail("a new clause on its own line (`source`, `kind`, `for each`, `applies when`, `due`, `done`, `warn`, `require` or `counting`)")
                }
                guard Parser.ruleClauseWords.contains(w) else {
                    let suggestion = closest(w, in: Parser.ruleClauseWords.sorted())
                    error(.unknownClause, "`\(w)` is not a rule clause", at: t.span,
                        help: suggestion.map { "did you mean `\($0)`?" }
                            ?? "a rule's clauses are `source`, `kind`, `for each`, `applies when`, `due`, `done`, `warn`, `require` and `counting`",
                        fixIt: suggestion.map { FixIt(span: t.span, replacement: $0) })
                    throw ParseAbort()
                }
                if let first = seen[w] {
                    error(.repeatedClause, "`\(w)` is given twice in rule `\(id.name)`", at: t.span,
                        help: "keep one `\(w)` line")
                    diagnostics[diagnostics.count - 1].notes.append(DiagnosticNote("first given here", at: first))
                }
                seen[w] = t.span
                _ = advance()
                try parseRuleClause(w, into: &rule)
                if !atDeclarationStart && !current.startsLine {
                    throw fail("the end of the `\(w)` line")
                }
            } catch {
                recover(to: Parser.ruleClauseWords)
            }
        }
        // A clause word in column 1 right after the rule most likely belongs to it.
        if let w = current.word, Parser.ruleClauseWords.contains(w), current.inColumnOne { rule.hasSyntaxErrors = true }
        if diagnostics.count > errorsBefore { rule.hasSyntaxErrors = true }
        return ruleWithSpan(rule, spanFrom(start))
    }

    func ruleWithSpan(_ r: RuleDeclaration, _ span: Span) -> RuleDeclaration {
        var out = RuleDeclaration(id: r.id, span: span)
        out.title = r.title
        out.source = r.source
        out.kind = r.kind
        out.forEach = r.forEach
        out.appliesWhen = r.appliesWhen
        out.due = r.due
        out.done = r.done
        out.warn = r.warn
        out.warnSpan = r.warnSpan
        out.require = r.require
        out.counting = r.counting
        out.hasSyntaxErrors = r.hasSyntaxErrors
        out.schedule = r.schedule
        out.by = r.by
        out.until = r.until
        out.across = r.across
        return out
    }

    mutating func parseRuleClause(_ w: String, into rule: inout RuleDeclaration) throws {
        switch w {
        case "source": rule.source = try text("the source in double quotes, like \"Working Together to Safeguard Children 2018, chapter 1\"")
        case "kind": rule.kind = try identifier("a kind, like `statutory` or `bottom-line`")
        case "for":
            _ = try expectWord("each", help: "write `for each enquiry in case.section47`")
            let name = try identifier("a name for each item, like `enquiry`")
            _ = try expectWord("in", help: "write `for each \(name.name) in case.section47`")
            rule.forEach = ForEachClause(name: name, list: try parseExpression())
        case "applies":
            _ = try expectWord("when", help: "write `applies when <condition>`")
            rule.appliesWhen = try parseExpression()
        case "due": rule.due = try parseExpression()
        case "done": rule.done = try parseExpression()
        case "require": rule.require = try parseExpression()
        case "every":
            let s = tokens[pos - 1].span
            let d = try parseDurationLiteral()
            _ = try expectWord("from", help: "write `every 10 working days from plan.start`")
            rule.schedule = ScheduleClause(intervals: [d], from: try parseExpression(), alternative: nil, span: spanFrom(s))
        case "within":
            let s = tokens[pos - 1].span
            let first = try parseDurationLiteral()
            _ = try expectWord("from", help: "write `within 20 working days from case.looked_after.start, then 3 months, then every 6 months`")
            let from = try parseExpression()
            var intervals = [first]
            var repeats = false
            while acceptSymbol(",") != nil || current.isWord("then") {
                _ = try expectWord("then", help: "write `, then 3 months`")
                if acceptWord("every") != nil { repeats = true }
                intervals.append(try parseDurationLiteral())
                if repeats { break }
            }
            if !repeats && intervals.count > 1 {
                error(.syntax, "a schedule must end with a repeating interval", at: spanFrom(s),
                    help: "end it with `then every …`, for example `then every 6 months`")
            }
            rule.schedule = ScheduleClause(intervals: intervals, from: from, alternative: nil, span: spanFrom(s))
        case "then":
            error(.syntax, "`then` continues a `within` line", at: tokens[pos - 1].span,
                help: "put it on the `within` line after a comma, or indent it under that line")
            throw ParseAbort()
        case "after":
            var after: Duration?
            var afterDate: ExpressionSyntax?
            if case .number = current.kind, let next = tokens[min(pos + 1, tokens.count - 1)].word,
                ["day", "days", "week", "weeks", "month", "months", "year", "years", "working"].contains(next)
            {
                after = try parseDurationLiteral()
            } else {
                afterDate = try parseExpression()
            }
            _ = acceptSymbol(",")
            _ = try expectWord("every", help: "write `after 1 year, every 3 months when placement.long_term`")
            let every = try parseDurationLiteral()
            var when: ExpressionSyntax?
            if acceptWord("when") != nil { when = try parseExpression() }
            let alt = AlternativeInterval(after: after, afterDate: afterDate, every: every, when: when)
            if rule.schedule == nil {
                error(.syntax, "`after` needs an `every` or `within` line before it", at: tokens[pos - 1].span)
            } else {
                rule.schedule!.alternative = alt
            }
        case "by":
            let s = current.span
            let sel = try parseSelection(bracketed: true)
            rule.by = sel.itemName == nil && sel.condition == nil ? sel.list : ExpressionSyntax(.selection(sel), span: spanFrom(s))
        case "until": rule.until = try parseExpression()
        case "across":
            _ = try expectWord("cases", help: "write `across cases grouped by case.worker.id as practitioner`")
            _ = try expectWord("grouped")
            _ = try expectWord("by")
            let key = try parseExpression()
            var name: Identifier?
            if acceptWord("as") != nil { name = try identifier("a name for the group") }
            rule.across = AcrossClause(key: key, name: name)
        case "warn":
            let s = current.span
            rule.warn = try parseDurationLiteral()
            rule.warnSpan = spanFrom(s)
            _ = try expectWord("before", help: "write `warn 3 working days before`")
        case "counting":
            if acceptWord("from") != nil {
                _ = try expectWord("the")
                _ = try expectWord("next")
                _ = try expectWord("day")
                rule.counting = .fromNextDay
            } else {
                _ = try expectWord("the", help: "write `counting the start day as day 1` or `counting from the next day`")
                _ = try expectWord("start")
                _ = try expectWord("day")
                _ = try expectWord("as")
                _ = try expectWord("day")
                guard case .number(1, _) = current.kind else { throw fail("`1`") }
                _ = advance()
                rule.counting = .startDayIsDayOne
            }
        default:
            throw fail("a rule clause")
        }
    }

    mutating func parseDurationLiteral() throws -> Duration {
        guard case .number(let n, _) = current.kind, !current.inColumnOne else {
            throw fail("a duration, like `3 working days`")
        }
        _ = advance()
        guard let unit = try parseDurationUnit() else {
            throw fail("a unit (`days`, `weeks`, `months`, `years` or `working days`)")
        }
        guard n == n.rounded() else { throw fail("a whole number of \(unit.rawValue)") }
        return Duration(Int(n), unit)
    }

    /// Reads a unit after a number, if one follows.
    mutating func parseDurationUnit() throws -> DurationUnit? {
        guard let w = current.word, !current.inColumnOne else { return nil }
        switch w {
        case "day", "days": _ = advance(); return .days
        case "week", "weeks": _ = advance(); return .weeks
        case "month", "months": _ = advance(); return .months
        case "year", "years": _ = advance(); return .years
        case "working":
            _ = advance()
            guard current.isWord("days") || current.isWord("day") else {
                throw fail("`days` after `working`")
            }
            _ = advance()
            return .workingDays
        default: return nil
        }
    }

    // MARK: Tests

    static let testClauseWords: Set<String> = ["as", "case", "expect"]

    mutating func parseTest() -> TestDeclaration? {
        let start = advance().span
        guard let name = try? text("the test's name in double quotes") else {
            skipDeclaration()
            return nil
        }
        var decl = TestDeclaration(name: name, asOf: nil, cases: [], expectations: [], span: start)
        while !atDeclarationStart {
            let t = current
            do {
                guard let w = t.word, t.startsLine, Parser.testClauseWords.contains(w) else {
                    throw fail("`as of`, `case` or `expect` at the start of a line")
                }
                _ = advance()
                switch w {
                case "as":
                    _ = try expectWord("of", help: "write `as of 2019-04-30`")
                    decl.asOf = try date("the as-of date").0
                case "case":
                    if acceptWord("file") != nil {
                        let path = try text("the file's path in double quotes")
                        decl.cases.append((.file(path: path.value), path.span))
                    } else {
                        let s = current.span
                        var json = ""
                        try parseLiteralValue(into: &json)
                        decl.cases.append((.inline(json: json), spanFrom(s)))
                    }
                default:
                    decl.expectations.append(try parseExpectation(t.span))
                }
                if !atDeclarationStart && !current.startsLine { throw fail("the end of the `\(w)` line") }
            } catch {
                recover(to: Parser.testClauseWords)
            }
        }
        return TestDeclaration(name: decl.name, asOf: decl.asOf, cases: decl.cases, expectations: decl.expectations, span: spanFrom(start))
    }

    /// A case literal, written like the JSON of a snapshot but with bare field names and dates:
    /// `{ case_id: "T1", referral: { date: 2019-03-04 } }`. Appends its JSON text.
    mutating func parseLiteralValue(into json: inout String) throws {
        let t = current
        guard !t.inColumnOne else { throw fail("a value") }
        switch t.kind {
        case .symbol("{"):
            _ = advance()
            json += "{"
            var first = true
            while acceptSymbol("}") == nil {
                if !first { _ = try expectSymbol(",", help: "separate fields with commas") }
                if acceptSymbol("}") != nil { break }
                first = false
                let key: String
                if case .string(let k) = current.kind, !current.inColumnOne {
                    key = k
                    _ = advance()
                } else {
                    key = try identifier("a field name").name
                }
                _ = try expectSymbol(":", help: "write a field as `name: value`")
                json += jsonString(key) + ":"
                try parseLiteralValue(into: &json)
                json += ","
            }
            if json.hasSuffix(",") { json.removeLast() }
            json += "}"
        case .symbol("["):
            _ = advance()
            json += "["
            var first = true
            while acceptSymbol("]") == nil {
                if !first { _ = try expectSymbol(",", help: "separate items with commas") }
                if acceptSymbol("]") != nil { break }
                first = false
                try parseLiteralValue(into: &json)
                json += ","
            }
            if json.hasSuffix(",") { json.removeLast() }
            json += "]"
        case .string(let v):
            _ = advance()
            json += jsonString(v)
        case .date(let d):
            _ = advance()
            json += "\"\(d)\""
        case .number(_, let text):
            _ = advance()
            json += text
        case .symbol("-"):
            _ = advance()
            guard case .number(_, let text) = current.kind else { throw fail("a number after `-`") }
            _ = advance()
            json += "-" + text
        case .word(let w) where w == "true" || w == "false" || w == "null":
            _ = advance()
            json += w
        default:
            throw fail("a value (text, a number, a date, true, false, null, a list `[…]` or a record `{…}`)")
        }
    }

    func jsonString(_ s: String) -> String {
        var w = JSONWriter()
        w.string(s)
        return w.string
    }

    mutating func parseExpectation(_ start: Span) throws -> Expectation {
        let rule = try identifier("a rule id")
        var e = Expectation(rule: rule, outcome: nil, span: start)
        if acceptWord("no") != nil {
            _ = try expectWord("findings", help: "write `expect \(rule.name) no findings`")
            e.noFindings = true
            return e
        }
        guard let w = current.word, !current.startsLine else { throw fail("an outcome, like `met` or `overdue`") }
        let outcomeName = w.replacingOccurrences(of: "-", with: "_")
        let words = outcomeName == "due" || outcomeName == "not" ? 2 : 1
        var name = outcomeName
        if words == 2 {
            _ = advance()
            guard let second = current.word else { throw fail("`soon` or `applicable`") }
            name += "_" + second
        }
        guard let o = Outcome(rawValue: name) else {
            let s = closest(name, in: Outcome.allCases.map(\.rawValue))
            error(.syntax, "`\(name)` is not an outcome", at: current.span,
                help: s.map { "did you mean `\($0)`?" } ?? "outcomes are \(Outcome.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", "))")
            throw ParseAbort()
        }
        _ = advance()
        e.outcome = o
        while let w = current.word, !current.startsLine {
            _ = advance()
            switch w {
            case "occurrence":
                guard case .number(let n, _) = current.kind else { throw fail("the occurrence's number") }
                _ = advance()
                e.occurrence = Int(n)
            case "item": e.item = try text("the item, like \"section47[0]\"").value
            case "group": e.group = try text("the group's value in double quotes").value
            case "due": e.due = try date("the due date").0
            case "done": e.done = try date("the date done").0
            case "late":
                _ = try expectWord("by", help: "write `late by 1 working day`")
                e.lateBy = try parseDurationLiteral()
            case "time":
                _ = try expectWord("left", help: "write `time left 3 working days`")
                e.timeLeft = try parseDurationLiteral()
            default:
                pos -= 1
                throw fail("`occurrence`, `item`, `group`, `due`, `done`, `late by` or `time left`")
            }
        }
        return e
    }

    // MARK: Expressions

    static let reservedWords: Set<String> = [
        "and", "or", "not", "is", "present", "absent", "where", "as", "of", "count", "distinct",
        "earliest", "latest", "true", "false", "working", "days", "from", "to", "sum", "min", "max",
    ]

    mutating func parseExpression() throws -> ExpressionSyntax { try parseOr() }

    mutating func parseOr() throws -> ExpressionSyntax {
        var lhs = try parseAnd()
        while acceptWord("or") != nil {
            let rhs = try parseAnd()
            lhs = ExpressionSyntax(.binary(.or, lhs, rhs), span: lhs.span.through(rhs.span))
        }
        return lhs
    }

    mutating func parseAnd() throws -> ExpressionSyntax {
        var lhs = try parseNot()
        while acceptWord("and") != nil {
            let rhs = try parseNot()
            lhs = ExpressionSyntax(.binary(.and, lhs, rhs), span: lhs.span.through(rhs.span))
        }
        return lhs
    }

    mutating func parseNot() throws -> ExpressionSyntax {
        if let t = acceptWord("not") {
            let e = try parseNot()
            return ExpressionSyntax(.not(e), span: t.span.through(e.span))
        }
        return try parseComparison()
    }

    static let comparisonOperators: [String: BinaryOperator] = [
        "<": .less, "<=": .lessEqual, ">": .greater, ">=": .greaterEqual, "=": .equal, "!=": .notEqual,
    ]

    mutating func parseComparison() throws -> ExpressionSyntax {
        let lhs = try parseSum()
        if case .symbol(let s) = current.kind, !current.inColumnOne, let op = Parser.comparisonOperators[s] {
            _ = advance()
            let rhs = try parseSum()
            return ExpressionSyntax(.binary(op, lhs, rhs), span: lhs.span.through(rhs.span))
        }
        if acceptWord("is") != nil {
            let negated = acceptWord("not") != nil
            if let t = acceptWord("present") {
                return ExpressionSyntax(.presence(lhs, present: !negated), span: lhs.span.through(t.span))
            }
            if let t = acceptWord("absent") {
                return ExpressionSyntax(.presence(lhs, present: negated), span: lhs.span.through(t.span))
            }
            throw fail("`present` or `absent` after `is`", help: "to compare values, use `=`")
        }
        return lhs
    }

    mutating func parseSum() throws -> ExpressionSyntax {
        var lhs = try parseUnary()
        while true {
            let op: BinaryOperator
            if acceptSymbol("+") != nil { op = .plus } else if acceptSymbol("-") != nil { op = .minus } else { break }
            let rhs = try parseUnary()
            lhs = ExpressionSyntax(.binary(op, lhs, rhs), span: lhs.span.through(rhs.span))
        }
        return lhs
    }

    mutating func parseUnary() throws -> ExpressionSyntax {
        if let t = acceptSymbol("-") {
            let e = try parseUnary()
            return ExpressionSyntax(.negate(e), span: t.span.through(e.span))
        }
        return try parsePostfix()
    }

    mutating func parsePostfix() throws -> ExpressionSyntax {
        var e = try parsePrimary()
        while acceptSymbol(".") != nil {
            guard let w = current.word, !current.inColumnOne else { throw fail("a field name after `.`") }
            let t = advance()
            e = ExpressionSyntax(.field(e, Identifier(w, span: t.span)), span: e.span.through(t.span))
        }
        return e
    }

    /// `LIST [as NAME] [where CONDITION]`. After an aggregate word the list is a single path
    /// (so `latest case.visits.date + 1 day` adds to the latest date); inside brackets it may be
    /// any expression.
    mutating func parseSelection(bracketed: Bool = false) throws -> Selection {
        let list = bracketed ? try parseExpression() : try parseUnary()
        var sel = Selection(list: list)
        if acceptWord("as") != nil { sel.itemName = try identifier("a name for each item") }
        if acceptWord("where") != nil { sel.condition = try parseExpression() }
        return sel
    }

    mutating func parsePrimary() throws -> ExpressionSyntax {
        let t = current
        guard !t.inColumnOne else { throw fail("an expression") }
        switch t.kind {
        case .number(let n, _):
            _ = advance()
            if let unit = try parseDurationUnit() {
                guard n == n.rounded() else { throw fail("a whole number of \(unit.rawValue)") }
                return ExpressionSyntax(.duration(Duration(Int(n), unit)), span: spanFrom(t.span))
            }
            return ExpressionSyntax(.number(n), span: t.span)
        case .date(let d):
            _ = advance()
            return ExpressionSyntax(.date(d), span: t.span)
        case .string(let s):
            _ = advance()
            return ExpressionSyntax(.text(s), span: t.span)
        case .symbol("("):
            _ = advance()
            let sel = try parseSelection(bracketed: true)
            _ = try expectSymbol(")", help: "close the bracket opened here")
            let span = spanFrom(t.span)
            if sel.itemName == nil && sel.condition == nil { return ExpressionSyntax(sel.list.kind, span: span) }
            return ExpressionSyntax(.selection(sel), span: span)
        case .word(let w):
            switch w {
            case "true", "false":
                _ = advance()
                return ExpressionSyntax(.bool(w == "true"), span: t.span)
            case "count", "sum", "min", "max":
                _ = advance()
                _ = try expectWord("of", help: "write `\(w) of <list>`")
                var op: AggregateOperator
                switch w {
                case "count": op = .count
                case "sum": op = .sum
                case "min": op = .min
                default: op = .max
                }
                if w == "count", acceptWord("distinct") != nil { op = .countDistinct }
                let sel = try parseSelection()
                return ExpressionSyntax(.aggregate(op, sel), span: spanFrom(t.span))
            case "earliest", "latest":
                _ = advance()
                _ = acceptWord("of")
                let sel = try parseSelection()
                return ExpressionSyntax(.aggregate(w == "earliest" ? .earliest : .latest, sel), span: spanFrom(t.span))
            case "working", "days":
                _ = advance()
                if w == "working" { _ = try expectWord("days", help: "write `working days from A to B`") }
                _ = try expectWord("from", help: "write `\(w == "working" ? "working days" : "days") from A to B`")
                let a = try parseSum()
                _ = try expectWord("to")
                let b = try parseSum()
                return ExpressionSyntax(.between(w == "working" ? .workingDays : .days, a, b), span: spanFrom(t.span))
            default:
                if Parser.reservedWords.contains(w) { throw fail("an expression", help: "`\(w)` is a keyword here; it cannot start a value") }
                _ = advance()
                return ExpressionSyntax(.name(w), span: t.span)
            }
        default:
            throw fail("an expression")
        }
    }
}
