/// The outcome of one rule for one case or item. The raw values are the JSON contract.
public enum Outcome: String, Sendable, CaseIterable, Codable {
    case met
    case breached
    case overdue
    case dueSoon = "due_soon"
    case pending
    case notApplicable = "not_applicable"
    case incomplete

    /// Whether the outcome needs someone to act (everything but `met` and `not_applicable`).
    @inline(__always) public var isActionable: Bool { self != .met && self != .notApplicable }

    /// The outcome's position in `allCases`, for tables of counts.
    @inline(__always) var index: Int {
        switch self {
        case .met: return 0
        case .breached: return 1
        case .overdue: return 2
        case .dueSoon: return 3
        case .pending: return 4
        case .notApplicable: return 5
        case .incomplete: return 6
        }
    }

    /// The raw value, as JSON writes it (known when the program is written: copied whole).
    var json: StaticString {
        switch self {
        case .met: return "met"
        case .breached: return "breached"
        case .overdue: return "overdue"
        case .dueSoon: return "due_soon"
        case .pending: return "pending"
        case .notApplicable: return "not_applicable"
        case .incomplete: return "incomplete"
        }
    }

    /// Order for people: what needs action first.
    public var displayRank: Int {
        switch self {
        case .overdue: return 0
        case .breached: return 1
        case .dueSoon: return 2
        case .incomplete: return 3
        case .pending: return 4
        case .met: return 5
        case .notApplicable: return 6
        }
    }
}

/// An amount of time with its unit: how late, or how long left.
public struct Amount: Equatable, Sendable {
    public let amount: Int
    public let unit: DurationUnit
    public init(_ amount: Int, _ unit: DurationUnit) {
        self.amount = amount
        self.unit = unit
    }
}

/// One step of the workings out, as data: what was computed, its value, where it came from.
public struct WorkingsStep: Equatable, Sendable {
    public let step: String
    public let value: String
    public let from: String
    public let note: String?
    public init(step: String, value: String, from: String, note: String? = nil) {
        self.step = step
        self.value = value
        self.from = from
        self.note = note
    }
}

/// A rule's id, title, kind and source, as its findings give them (see `Finding.ruleText`).
final class RuleText: Sendable, Equatable {
    let id: String
    let title: String
    let kind: String
    let source: String

    init(id: String, title: String, kind: String, source: String) {
        self.id = id
        self.title = title
        self.kind = kind
        self.source = source
    }

    static func == (a: RuleText, b: RuleText) -> Bool {
        a === b || (a.id == b.id && a.title == b.title && a.kind == b.kind && a.source == b.source)
    }
}

/// The group a population finding is about: what cases were grouped by, and the group's value.
public struct FindingGroup: Equatable, Sendable {
    public let by: String
    public let value: String
}

/// One rule's judgement on one case (or one item of a case, one occurrence of a recurring event,
/// or one group of cases), with everything needed to show why.
public struct Finding: Equatable, Sendable {
    /// The rule's id, title, kind and source: the same in every finding of the rule, so shared
    /// (one reference to count as a finding is made, copied and freed, not four strings).
    let ruleText: RuleText
    /// The rule's id.
    public var rule: String { ruleText.id }
    public var title: String { ruleText.title }
    public var kind: String { ruleText.kind }
    public var source: String { ruleText.source }
    /// The case; empty for a finding about a group of cases.
    public let caseID: String
    /// The item the finding is about (`section47[0]`), for rules with `for each`.
    public let item: String?
    /// How people name the item: `section 47 enquiry 1`.
    public let itemLabel: String?
    public let outcome: Outcome
    public let due: LocalDate?
    public let done: LocalDate?
    public let lateBy: Amount?
    public let timeLeft: Amount?
    /// What the evaluator recorded for this finding: its workings out as data. Renderers word
    /// them (`workings`, or straight into JSON), so no English is made for findings not shown.
    public var trace: [TraceEvent] { recorded.events }
    /// The trace as recorded (for an occurrence of a schedule, as the parts of its steps: see
    /// `FindingTrace`).
    var recorded: FindingTrace
    /// For `incomplete`: each field that was missing or unusable.
    public let missing: [String]
    /// For `incomplete`: why, in one sentence.
    public let reason: String?
    /// Where the snapshot was read from.
    public internal(set) var location: SnapshotLocation?
    /// For recurring and scheduled rules: which occurrence (1-based).
    public var occurrence: Int?
    /// For rules across cases: the group, its measured value and the limit.
    public var group: FindingGroup? = nil
    public var value: Double? = nil
    public var limit: Double? = nil
    // (Made with the memberwise initialiser the compiler writes. With a hand-written one, the
    // compiler built each finding twice on the stack, copied one and freed the other, counting
    // every reference in it up and down, before moving it into the findings kept.)

    /// The workings out, step by step, in English (made from `trace` each time they are read).
    public var workings: [WorkingsStep] { explain(trace) }
}
