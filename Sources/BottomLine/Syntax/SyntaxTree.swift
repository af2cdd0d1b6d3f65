/// A name as written, with where it was written. Equality ignores the span.
public struct Identifier: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let span: Span
    public init(_ name: String, span: Span) {
        self.name = name
        self.span = span
    }
    public static func == (a: Identifier, b: Identifier) -> Bool { a.name == b.name }
    public func hash(into h: inout Hasher) { h.combine(name) }
    public var description: String { name }
}

/// A text literal with its span. Equality ignores the span.
public struct TextLiteral: Hashable, Sendable {
    public let value: String
    public let span: Span
    public init(_ value: String, span: Span) {
        self.value = value
        self.span = span
    }
    public static func == (a: TextLiteral, b: TextLiteral) -> Bool { a.value == b.value }
    public func hash(into h: inout Hasher) { h.combine(value) }
}

/// The unit of a duration.
public enum DurationUnit: String, Sendable, Hashable, CaseIterable {
    case days, weeks, months, years
    case workingDays = "working days"

    /// `1 working day`, `3 months`.
    public func describe(_ amount: Int) -> String {
        String(amount) + " " + (abs(amount) == 1 ? singular : rawValue)
    }

    /// The raw value, as JSON writes it (known when the program is written: copied whole).
    var json: StaticString {
        switch self {
        case .days: return "days"
        case .weeks: return "weeks"
        case .months: return "months"
        case .years: return "years"
        case .workingDays: return "working days"
        }
    }

    /// `working day`, `month`: the unit's name for one.
    public var singular: String {
        switch self {
        case .days: return "day"
        case .workingDays: return "working day"
        case .weeks: return "week"
        case .months: return "month"
        case .years: return "year"
        }
    }
}

/// A duration literal such as `15 working days` or `3 months`.
public struct Duration: Hashable, Sendable, CustomStringConvertible {
    public let amount: Int
    public let unit: DurationUnit
    public init(_ amount: Int, _ unit: DurationUnit) {
        self.amount = amount
        self.unit = unit
    }
    public var description: String { unit.describe(amount) }
}

/// Binary operators.
public enum BinaryOperator: String, Sendable, Hashable {
    case plus = "+", minus = "-"
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "=", notEqual = "!="
    case and, or
}

/// Aggregates over a list.
public enum AggregateOperator: String, Sendable, Hashable {
    case count = "count of"
    case countDistinct = "count of distinct"
    case earliest, latest
    case sum = "sum of", min = "min of", max = "max of"
}

/// A list with its items optionally named and filtered: `case.visits as visit where visit.seen_alone`.
public struct Selection: Hashable, Sendable {
    public var list: ExpressionSyntax
    /// The name given with `as`; when absent, the item takes the singular of the list's last field.
    public var itemName: Identifier?
    public var condition: ExpressionSyntax?
    public init(list: ExpressionSyntax, itemName: Identifier? = nil, condition: ExpressionSyntax? = nil) {
        self.list = list
        self.itemName = itemName
        self.condition = condition
    }
}

/// An expression node. Equality ignores spans, so parser tests compare trees.
public struct ExpressionSyntax: Hashable, Sendable {
    public indirect enum Kind: Hashable, Sendable {
        case number(Double)
        case text(String)
        case bool(Bool)
        case date(LocalDate)
        case duration(Duration)
        /// A bound name: `case`, a `for each` item, a filter item or a param.
        case name(String)
        /// `base.field`
        case field(ExpressionSyntax, Identifier)
        case negate(ExpressionSyntax)
        case not(ExpressionSyntax)
        case binary(BinaryOperator, ExpressionSyntax, ExpressionSyntax)
        /// `x is present` (`true`) / `x is absent` (`false`).
        case presence(ExpressionSyntax, present: Bool)
        case aggregate(AggregateOperator, Selection)
        /// A bracketed selection used as a list: `(case.visits where visit.seen_alone)`.
        case selection(Selection)
        /// `working days from A to B` / `days from A to B`: a whole number.
        case between(DurationUnit, ExpressionSyntax, ExpressionSyntax)
    }

    public var kind: Kind
    public let span: Span

    public init(_ kind: Kind, span: Span) {
        self.kind = kind
        self.span = span
    }

    public static func == (a: ExpressionSyntax, b: ExpressionSyntax) -> Bool { a.kind == b.kind }
    public func hash(into h: inout Hasher) { h.combine(kind) }
}

/// `use calendar NAME`.
public struct UseCalendarDeclaration: Hashable, Sendable {
    public var name: Identifier
    public let span: Span
}

/// `calendar NAME "title"` with `source`, `weekend`, `covers` and `holiday` lines.
public struct CalendarDeclaration: Hashable, Sendable {
    public var name: Identifier
    public var title: TextLiteral?
    public var source: TextLiteral?
    public var weekend: [Identifier]
    public var covers: (from: LocalDate, to: LocalDate, span: Span)?
    public var holidays: [(date: LocalDate, name: String, span: Span)]
    public let span: Span

    public static func == (a: CalendarDeclaration, b: CalendarDeclaration) -> Bool {
        a.name == b.name && a.title == b.title && a.source == b.source && a.weekend == b.weekend
            && a.covers?.from == b.covers?.from && a.covers?.to == b.covers?.to
            && a.holidays.map(\.date) == b.holidays.map(\.date)
            && a.holidays.map(\.name) == b.holidays.map(\.name)
    }
    public func hash(into h: inout Hasher) { h.combine(name) }
}

/// A literal value a param can take.
public enum ParamValue: Hashable, Sendable {
    case number(Double), text(String), bool(Bool), date(LocalDate), duration(Duration)
}

/// `param NAME = VALUE`, with an optional `note` and values that change from a date on.
public struct ParamDeclaration: Hashable, Sendable {
    public var name: Identifier
    public var value: ParamValue
    public var note: TextLiteral?
    public var changes: [ParamChange]
    public let span: Span
}

/// `from DATE = VALUE` under a param.
public struct ParamChange: Hashable, Sendable {
    public var from: LocalDate
    public var value: ParamValue
    public let span: Span
    public static func == (a: ParamChange, b: ParamChange) -> Bool { a.from == b.from && a.value == b.value }
    public func hash(into h: inout Hasher) { h.combine(from) }
}

/// A type in a schema declaration.
public indirect enum TypeSyntax: Hashable, Sendable {
    case named(Identifier)  // text, number, bool, date
    case list(TypeSyntax)
    case record([FieldSyntax])
}

/// `name: type?  "label"` in a schema.
public struct FieldSyntax: Hashable, Sendable {
    public var name: Identifier
    public var type: TypeSyntax
    public var optional: Bool
    public var label: TextLiteral?
}

/// `schema case` followed by its fields.
public struct SchemaDeclaration: Hashable, Sendable {
    public var name: Identifier
    public var fields: [FieldSyntax]
    public let span: Span
}

/// `for each NAME in LIST`.
public struct ForEachClause: Hashable, Sendable {
    public var name: Identifier
    public var list: ExpressionSyntax
}

/// The intervals of a recurring or scheduled requirement: `every 10 working days from plan.start`,
/// or `within 20 working days from X, then 3 months, then every 6 months` (the last repeats).
public struct ScheduleClause: Hashable, Sendable {
    public var intervals: [Duration]
    public var from: ExpressionSyntax
    /// `after 1 year, every 3 months when placement.long_term`: a different interval for
    /// occurrences counted from a date at least `after` past the start, when the condition holds.
    public var alternative: AlternativeInterval?
    public let span: Span
    public static func == (a: ScheduleClause, b: ScheduleClause) -> Bool {
        a.intervals == b.intervals && a.from == b.from && a.alternative == b.alternative
    }
    public func hash(into h: inout Hasher) { h.combine(intervals) }
}

/// `after DURATION, every DURATION when CONDITION` (counted from the schedule's start), or
/// `after DATE-EXPR, every DURATION` (from a date, such as a fifth birthday).
public struct AlternativeInterval: Hashable, Sendable {
    public var after: Duration?
    public var afterDate: ExpressionSyntax?
    public var every: Duration
    public var when: ExpressionSyntax?
}

/// `across cases grouped by EXPR as NAME`: a requirement on groups of cases.
public struct AcrossClause: Hashable, Sendable {
    public var key: ExpressionSyntax
    public var name: Identifier?
}

/// `rule ID "title"` and its clauses.
public struct RuleDeclaration: Hashable, Sendable {
    public var id: Identifier
    public var title: TextLiteral?
    public var source: TextLiteral?
    public var kind: Identifier?
    public var forEach: ForEachClause?
    public var appliesWhen: ExpressionSyntax?
    public var due: ExpressionSyntax?
    public var done: ExpressionSyntax?
    public var warn: Duration?
    public var warnSpan: Span?
    public var require: ExpressionSyntax?
    public var counting: DayCounting?
    public var schedule: ScheduleClause?
    /// The events that meet a schedule: `by case.visits.date where visit.seen_alone`.
    public var by: ExpressionSyntax?
    /// The end of the period in which a schedule applies: `until plan.end`.
    public var until: ExpressionSyntax?
    public var across: AcrossClause?
    /// Set by the parser when the rule's text had a syntax error: the checker then does not
    /// report clauses as missing, since they may be in the part it could not read.
    public var hasSyntaxErrors = false
    public let span: Span

    public init(id: Identifier, span: Span) {
        self.id = id
        self.span = span
    }

    public static func == (a: RuleDeclaration, b: RuleDeclaration) -> Bool {
        a.id == b.id && a.title == b.title && a.source == b.source && a.kind == b.kind
            && a.forEach == b.forEach && a.appliesWhen == b.appliesWhen && a.due == b.due
            && a.done == b.done && a.warn == b.warn && a.require == b.require && a.counting == b.counting
            && a.schedule == b.schedule && a.by == b.by && a.until == b.until && a.across == b.across
    }
    public func hash(into h: inout Hasher) { h.combine(id) }
}

/// A case given to a rule test: inline (already turned into JSON text) or from a file.
public enum TestCaseSource: Hashable, Sendable {
    case inline(json: String)
    case file(path: String)
}

/// `expect RULE OUTCOME …` in a rule test. Every constraint given must hold for one finding.
public struct Expectation: Hashable, Sendable {
    public var rule: Identifier
    /// `nil` with `noFindings` for `expect RULE no findings`.
    public var outcome: Outcome?
    public var noFindings = false
    public var occurrence: Int?
    public var item: String?
    public var group: String?
    public var due: LocalDate?
    public var done: LocalDate?
    public var lateBy: Duration?
    public var timeLeft: Duration?
    public let span: Span
    public static func == (a: Expectation, b: Expectation) -> Bool {
        a.rule == b.rule && a.outcome == b.outcome && a.noFindings == b.noFindings && a.occurrence == b.occurrence
            && a.item == b.item && a.group == b.group && a.due == b.due && a.done == b.done && a.lateBy == b.lateBy
            && a.timeLeft == b.timeLeft
    }
    public func hash(into h: inout Hasher) { h.combine(rule) }
}

/// `test "name"` with `as of`, cases and expectations.
public struct TestDeclaration: Hashable, Sendable {
    public var name: TextLiteral
    public var asOf: LocalDate?
    public var cases: [(source: TestCaseSource, span: Span)]
    public var expectations: [Expectation]
    public let span: Span
    public static func == (a: TestDeclaration, b: TestDeclaration) -> Bool {
        a.name == b.name && a.asOf == b.asOf && a.cases.map(\.source) == b.cases.map(\.source) && a.expectations == b.expectations
    }
    public func hash(into h: inout Hasher) { h.combine(name) }
}

/// One top-level declaration of a rule file.
public enum Declaration: Hashable, Sendable {
    case useCalendar(UseCalendarDeclaration)
    case calendar(CalendarDeclaration)
    case param(ParamDeclaration)
    case schema(SchemaDeclaration)
    case rule(RuleDeclaration)
    case test(TestDeclaration)
}

/// The syntax tree of one rule file.
public struct RuleFileSyntax: Hashable, Sendable {
    public var file: FileID
    public var declarations: [Declaration]
}
