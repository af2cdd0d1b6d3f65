/// The type of a value in a checked expression.
public indirect enum ValueType: Equatable, Sendable, CustomStringConvertible {
    case text, number, bool, date, duration
    case list(ValueType)
    case record(RecordSchema)
    /// The type of an expression that already has an error; it matches anything, so one mistake
    /// gives one diagnostic.
    case unknown

    public var description: String {
        switch self {
        case .text: return "text"
        case .number: return "a number"
        case .bool: return "true or false"
        case .date: return "a date"
        case .duration: return "a duration"
        case .list(let t): return "a list of \(t.plural)"
        case .record: return "a record"
        case .unknown: return "unknown"
        }
    }

    var plural: String {
        switch self {
        case .text: return "text"
        case .number: return "numbers"
        case .bool: return "true/false values"
        case .date: return "dates"
        case .duration: return "durations"
        case .list: return "lists"
        case .record: return "records"
        case .unknown: return "values"
        }
    }

    init(_ s: SchemaType) {
        switch s {
        case .text: self = .text
        case .number: self = .number
        case .bool: self = .bool
        case .date: self = .date
        case .list(let t): self = .list(ValueType(t))
        case .record(let r): self = .record(r)
        }
    }
}

/// A list with a bound item and an optional condition, ready to evaluate.
public final class CompiledSelection: Sendable {
    let list: CompiledExpression
    let itemSlot: Int
    let itemName: String
    let condition: CompiledExpression?
    /// When the condition is a yes/no field of the item (`where visit.seen_alone`): that field's
    /// slot, so the condition is read straight from each item rather than evaluated.
    let conditionField: Int?

    init(list: CompiledExpression, itemSlot: Int, itemName: String, condition: CompiledExpression?) {
        self.list = list
        self.itemSlot = itemSlot
        self.itemName = itemName
        self.condition = condition
        if let c = condition, c.type == .bool, case .field(let base, let slot, _) = c.kind, case .local(let local) = base.kind,
            local == itemSlot
        {
            conditionField = slot
        } else {
            conditionField = nil
        }
    }
}

/// A checked expression: every name resolved to a slot, every field to a schema slot, every
/// operator to the operation its operand types call for. `label` is the English name the
/// workings out use for it.
///
/// A class, not a struct: evaluation takes expressions apart at every step, and a reference is
/// shared for the price of one count, where a struct's fields would each be copied.
public final class CompiledExpression: Sendable {
    enum Kind: Sendable {
        case constant(Value)
        case duration(Duration)
        case root
        case local(Int)
        case param(Int)
        case field(CompiledExpression, slot: Int, name: String)
        case project(CompiledExpression, slot: Int, name: String)
        case shift(CompiledExpression, by: CompiledExpression, negative: Bool)
        case arithmetic(BinaryOperator, CompiledExpression, CompiledExpression)
        case negate(CompiledExpression)
        case compare(BinaryOperator, CompiledExpression, CompiledExpression)
        case and(CompiledExpression, CompiledExpression)
        case or(CompiledExpression, CompiledExpression)
        case not(CompiledExpression)
        case presence(CompiledExpression, present: Bool)
        case aggregate(AggregateOperator, CompiledSelection)
        case selection(CompiledSelection)
        case between(DurationUnit, CompiledExpression, CompiledExpression)
    }
    let kind: Kind
    let type: ValueType
    let label: String
    let span: Span
    /// For a field of the case reached through fields only (`case.referral.date`): its path and
    /// the path's text, made once here rather than on every traced evaluation.
    let fixedPath: FixedPath?
    /// `fixedPath` as a reference that is not counted (the expression holds it): read by every
    /// traced evaluation of the field.
    let unretainedFixedPath: Unmanaged<FixedPath>?
    /// For a field of the case or of a named item, or a field of one of their fields
    /// (`case.closure_date`, `case.referral.date`, `plan.start`): where it is read from (`from`:
    /// -1 the case, else the local slot of the item) and the slots read (`second` -1 for one
    /// field); `first` is -1 for any other expression. Without tracing such a field is read in
    /// one step.
    let route: (from: Int, first: Int, second: Int)
    /// For `date + duration` (`.shift`): its parts as references that are not counted (the
    /// expression holds them through `kind`): a due date is worked out for every case and item,
    /// and taking `kind` apart counted a reference to each part every time.
    let unretainedShift: (base: Unmanaged<CompiledExpression>, by: Unmanaged<CompiledExpression>, negative: Bool)?
    /// For a comparison, `and`, `or`, `not` and `present`/`missing`: the kind with its parts as
    /// references that are not counted (the expression holds them through `kind`), `nil` for any
    /// other kind. They are what every rule's conditions are made of, and taking `kind` apart
    /// counted a reference to each part, and let it go, every time one was evaluated.
    let unretainedLogic: Logic?

    /// See `unretainedLogic`.
    enum Logic {
        case compare(BinaryOperator, Unmanaged<CompiledExpression>, Unmanaged<CompiledExpression>)
        case and(Unmanaged<CompiledExpression>, Unmanaged<CompiledExpression>)
        case or(Unmanaged<CompiledExpression>, Unmanaged<CompiledExpression>)
        case not(Unmanaged<CompiledExpression>)
        case presence(Unmanaged<CompiledExpression>, present: Bool)

        init?(_ kind: Kind) {
            switch kind {
            case .compare(let op, let a, let b): self = .compare(op, .passUnretained(a), .passUnretained(b))
            case .and(let a, let b): self = .and(.passUnretained(a), .passUnretained(b))
            case .or(let a, let b): self = .or(.passUnretained(a), .passUnretained(b))
            case .not(let a): self = .not(.passUnretained(a))
            case .presence(let a, let present): self = .presence(.passUnretained(a), present: present)
            default: return nil
            }
        }
    }

    init(kind: Kind, type: ValueType, label: String, span: Span) {
        self.kind = kind
        self.type = type
        self.label = label
        self.span = span
        let fixedPath = FixedPath(kind)
        self.fixedPath = fixedPath
        self.unretainedFixedPath = fixedPath.map { .passUnretained($0) }
        var route = (from: -1, first: -1, second: -1)
        if case .field(let base, let slot, _) = kind {
            switch base.kind {
            case .root: route = (-1, slot, -1)
            case .local(let i): route = (i, slot, -1)
            case .field where base.route.first >= 0 && base.route.second < 0: route = (base.route.from, base.route.first, slot)
            default: break
            }
        }
        self.route = route
        if case .shift(let base, let by, let negative) = kind {
            unretainedShift = (.passUnretained(base), .passUnretained(by), negative)
        } else {
            unretainedShift = nil
        }
        unretainedLogic = Logic(kind)
    }
}

/// The path of a field of the case reached through fields only, with its text (see
/// `CompiledExpression.fixedPath`). A class: a traced evaluation takes it from its expression
/// whole, and a struct of a path and a text was copied counting three references.
final class FixedPath: Sendable {
    let path: ValuePath
    let text: String
    /// `text`'s UTF-8, for writers that lend it where it lies.
    let utf8: [UInt8]

    init?(_ kind: CompiledExpression.Kind) {
        guard case .field(let base, _, let name) = kind else { return nil }
        let parent: PathNode
        switch base.kind {
        case .root: parent = PathNode.root
        case .field: guard let p = base.fixedPath else { return nil }; parent = p.path.node
        default: return nil
        }
        path = ValuePath(parent.child(name))
        text = path.text
        utf8 = Array(text.utf8)
    }
}

/// A param's values: the first applies until the date of the next.
public struct CheckedParam: Sendable {
    public let name: String
    public let type: ValueType
    /// `(from, value)` in date order; the first has `from == nil`.
    public let values: [(from: LocalDate?, value: ParamValue)]
    public let note: String?
    public let location: String

    /// The value in force at `asOf`, and the date it applies from. (Inlined: read for every group
    /// judged against a limit, the call cost more than the choice.)
    @inline(__always)
    public func value(at asOf: LocalDate) -> (value: ParamValue, from: LocalDate?) {
        var chosen = values[0]
        for v in values.dropFirst() where v.from! <= asOf { chosen = v }
        return (chosen.value, chosen.from)
    }
}

/// A recurring or scheduled requirement, ready to evaluate. (A class, as `CompiledExpression`
/// is: taking a rule's form apart then costs one count, not a copy of every field.)
public final class CompiledSchedule: Sendable {
    let intervals: [Duration]
    let from: CompiledExpression
    let alternative: (after: Duration?, afterDate: CompiledExpression?, every: Duration, when: CompiledExpression?)?
    /// The events (a list of dates) that meet occurrences.
    let events: CompiledExpression
    /// How the events are read, when they come from one plain list (see `ScheduleEventsPlan`).
    let eventsPlan: ScheduleEventsPlan?
    /// The workings' name for the event an occurrence is counted from: `previous case supervision`.
    let previousLabel: String
    /// The workings' names of the intervals' steps (`+ 1 month`), made once here.
    private let stepLabels: [(Duration, String)]
    let until: CompiledExpression?
    let warn: Duration?
    /// `from`, `until` and `eventsPlan` as references that are not counted (the schedule holds
    /// them): a schedule judges every case and item it applies to, and taking each from the
    /// schedule counted a reference to it every time.
    let unretained: (from: Unmanaged<CompiledExpression>, until: Unmanaged<CompiledExpression>?,
        eventsPlan: Unmanaged<ScheduleEventsPlan>?)

    init(intervals: [Duration], from: CompiledExpression,
        alternative: (after: Duration?, afterDate: CompiledExpression?, every: Duration, when: CompiledExpression?)?,
        events: CompiledExpression, until: CompiledExpression?, warn: Duration?)
    {
        self.intervals = intervals
        self.from = from
        self.alternative = alternative
        self.events = events
        self.eventsPlan = ScheduleEventsPlan(events)
        self.previousLabel = "previous " + events.label
        self.stepLabels = (intervals + (alternative.map { [$0.every] } ?? [])).map { ($0, Shifted.label($0)) }
        self.until = until
        self.warn = warn
        unretained = (.passUnretained(from), until.map { .passUnretained($0) }, eventsPlan.map { .passUnretained($0) })
    }

    /// The workings' name for the step of one of the intervals (see `Shifted.label(_:)`).
    func stepLabel(_ d: Duration) -> String? { stepLabels.first { $0.0 == d }?.1 }

    /// The trace event of `rule`'s step of one of the intervals (`shifted`), named as the schedule
    /// names it: the one way the workings, the steps a rule's fields render beforehand and a
    /// streaming run's steps make it.
    func stepEvent(_ shifted: Shifted, rule: CheckedRule) -> TraceEvent {
        shifted.event(rule, label: stepLabel(shifted.duration))
    }
}

/// A requirement on groups of cases, ready to evaluate (a class, as `CompiledSchedule` is).
public final class CompiledPopulation: Sendable {
    let key: CompiledExpression
    /// The key's path as written (`case.worker.id`), for the finding's `group.by`.
    let keyPath: String
    let groupSlot: Int?
    let requirement: CompiledExpression
    /// The aggregates of the requirement, each accumulated over the cases of a group.
    let aggregates: [(span: Span, op: AggregateOperator, selection: CompiledSelection)]

    init(key: CompiledExpression, keyPath: String, groupSlot: Int?, requirement: CompiledExpression,
        aggregates: [(span: Span, op: AggregateOperator, selection: CompiledSelection)])
    {
        self.key = key
        self.keyPath = keyPath
        self.groupSlot = groupSlot
        self.requirement = requirement
        self.aggregates = aggregates
    }
}

/// What a rule requires.
public enum RuleForm: Sendable {
    /// An event must happen at least every interval: one finding per occurrence.
    case schedule(CompiledSchedule)
    /// A requirement on groups of cases: one finding per group.
    case population(CompiledPopulation)
    /// Something must happen by a date: `due`, `done`, optional `warn … before`.
    case deadline(due: CompiledExpression, done: CompiledExpression, warn: Duration?)
    /// A plain requirement: `require`.
    case condition(CompiledExpression)
}

/// A rule ready to evaluate. Immutable, and a class so that evaluation passes it by reference.
public final class CheckedRule: Sendable {
    public let id: String
    public let title: String
    public let source: String
    public let kind: String
    let forEach: (name: String, list: CompiledExpression)?
    let appliesWhen: CompiledExpression?
    let form: RuleForm
    let calendar: WorkingCalendar?
    let counting: DayCounting
    /// Number of local slots (for-each item, selection items) evaluation needs.
    let localCount: Int
    /// The unit in which lateness and time left are counted.
    let lateUnit: DurationUnit
    public let location: String
    /// For rules across cases: the name given to each group (`as practitioner`).
    let groupName: String?
    /// The id, title, kind and source, shared by the rule's findings.
    let text: RuleText
    /// `appliesWhen` and `form` again, as references that are not counted (the rule holds them
    /// through `appliesWhen` and `form`): a rule's form is taken apart for every case, and taking
    /// `form` apart counted a reference to each of its parts.
    let unretained: UnretainedRule

    init(id: String, title: String, source: String, kind: String, forEach: (name: String, list: CompiledExpression)?,
        appliesWhen: CompiledExpression?, form: RuleForm, calendar: WorkingCalendar?, counting: DayCounting,
        localCount: Int, lateUnit: DurationUnit, location: String, groupName: String?)
    {
        self.id = id
        self.title = title
        self.source = source
        self.kind = kind
        self.forEach = forEach
        self.appliesWhen = appliesWhen
        self.form = form
        self.calendar = calendar
        self.counting = counting
        self.localCount = localCount
        self.lateUnit = lateUnit
        self.location = location
        self.groupName = groupName
        self.text = RuleText(id: id, title: title, kind: kind, source: source)
        unretained = UnretainedRule(forEachList: forEach?.list, appliesWhen: appliesWhen, form: form)
    }
}

extension CheckedRule {
    /// Whether the rule is across cases: asked of every rule for every case (reading `form` to
    /// ask counted a reference to its parts; `unretained.form` is plain data).
    var isPopulation: Bool {
        if case .population = unretained.form { return true }
        return false
    }
}

/// A rule's condition and form as references that are not counted (see `CheckedRule.unretained`):
/// valid for as long as the rule is.
struct UnretainedRule: Sendable {
    /// The list of `for each`.
    let forEachList: Unmanaged<CompiledExpression>?
    let appliesWhen: Unmanaged<CompiledExpression>?
    let form: Form

    enum Form: Sendable {
        case population
        case schedule(Unmanaged<CompiledSchedule>)
        case deadline(due: Unmanaged<CompiledExpression>, done: Unmanaged<CompiledExpression>, warn: Duration?)
        case condition(Unmanaged<CompiledExpression>)
    }

    init(forEachList: CompiledExpression?, appliesWhen: CompiledExpression?, form: RuleForm) {
        self.forEachList = forEachList.map { Unmanaged.passUnretained($0) }
        self.appliesWhen = appliesWhen.map { Unmanaged.passUnretained($0) }
        switch form {
        case .population: self.form = .population
        case .schedule(let s): self.form = .schedule(.passUnretained(s))
        case .deadline(let due, let done, let warn): self.form = .deadline(due: .passUnretained(due), done: .passUnretained(done), warn: warn)
        case .condition(let c): self.form = .condition(.passUnretained(c))
        }
    }
}

/// Stage 3's result: a checked, immutable rule set, ready to evaluate many times and safe to
/// share across threads.
public final class CheckedProgram: Sendable {
    public let schema: RecordSchema
    public let idField: String
    public let calendars: [String: WorkingCalendar]
    public let params: [CheckedParam]
    public let rules: [CheckedRule]
    public let sources: SourceMap

    init(schema: RecordSchema, idField: String, calendars: [String: WorkingCalendar], params: [CheckedParam],
        rules: [CheckedRule], sources: SourceMap)
    {
        self.schema = schema
        self.idField = idField
        self.calendars = calendars
        self.params = params
        self.rules = rules
        self.sources = sources
    }
}
