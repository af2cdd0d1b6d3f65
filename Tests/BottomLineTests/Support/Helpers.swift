@testable import BottomLine

/// Lexes and parses one source string.
func parseSource(_ text: String) -> (RuleFileSyntax, [Diagnostic], SourceMap) {
    var map = SourceMap()
    let id = map.add(SourceFile(path: "test.rules", text: text))
    let (tokens, lexDiagnostics) = lex(map[id], id: id)
    let (tree, parseDiagnostics) = parse(tokens, file: id)
    return (tree, lexDiagnostics + parseDiagnostics, map)
}

/// A minimal schema and calendar, prepended to rule text in checker tests.
let testPrelude = """
    schema case
      case_id: text
      referral: { date: date?, decision_date: date? }?
      child: { id: text?, birth_date: date? }?
      worker: { id: text?, team: text? }?
      section47: list of { strategy_discussion: date?, icpc_required: bool?, icpc: date? } "section 47 enquiry"
      visits: list of { date: date?, seen_alone: bool? }
      supervisions: list of date

    calendar test-calendar "Test"
      source "test"
      weekend saturday sunday
      covers 2019-01-01 to 2019-12-31
      holiday 2019-04-19 "Good Friday"
      holiday 2019-04-22 "Easter Monday"

    """

/// Loads the prelude plus `rules` (as a second file) and returns the rule set.
func loadWithPrelude(_ rules: String) -> RuleSet {
    RuleSet.load(sources: [("prelude.rules", testPrelude), ("test.rules", rules)])
}

/// The shipped rules, loaded once, with paths relative to the repository (`rules/…`) so that
/// golden output does not depend on where the repository is.
let shippedRules: RuleSet = {
    var problems: [Diagnostic] = []
    let files = RuleFiles.expand([Repo.path("rules")], problems: &problems)
    let prefix = Repo.root.path + "/"
    return RuleSet.load(sources: files.map { (String($0.dropFirst(prefix.count)), (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "") })
}()

func date(_ s: String) -> LocalDate { LocalDate(iso: s)! }

/// A small seeded generator (xorshift64), so that a test's random inputs are the same on every run.
struct XorShift {
    private var state: UInt64

    /// `seed` must not be zero.
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    /// `bytes` with one to `most` of them (at random places) replaced by bytes drawn from
    /// `alphabet`: for the mutation tests of the readers.
    mutating func mutate(_ bytes: [UInt8], upTo most: Int, from alphabet: [UInt8]) -> [UInt8] {
        var out = bytes
        for _ in 0..<(1 + Int(next() % UInt64(most))) {
            out[Int(next() % UInt64(out.count))] = alphabet[Int(next() % UInt64(alphabet.count))]
        }
        return out
    }

    /// The bytes the readers' mutation tests draw from: JSON's punctuation, digits, the letters
    /// of its literals and escapes, a NUL, a byte that is never UTF-8, and a line end.
    static let jsonBytes = Array("{}[]\",:0123456789-.eE truefalsn\\u".utf8) + [0x00, 0xFF, 0x0A]
}

/// Schedules of every shape `ScheduleEventsPlan` reads or falls back from (a list of dates, a date
/// field of records, filtered by a yes/no field or by a general condition, each item's list, dates
/// flattened from lists of records), with their schema: for the tests of schedules' events and of
/// their workings.
let scheduleShapesRules = """
    schema case
      case_id: text
      start: date?
      closed: date? "case closed"
      supervisions: list of date
      visits: list of { date: date?, seen_alone: bool?, dates: list of date }
      plans: list of { start: date?, reviews: list of date }

    rule dates "A list of dates"
      source "test"
      kind bottom-line
      every 1 month from case.start
      by case.supervisions

    rule projected "A date of each record"
      source "test"
      kind bottom-line
      every 1 month from case.start
      by case.visits.date

    rule filtered "A date of each record, filtered by a yes/no field"
      source "test"
      kind bottom-line
      every 1 month from case.start
      by case.visits.date where visit.seen_alone

    rule filtered-general "A date of each record, filtered by a condition"
      source "test"
      kind bottom-line
      every 1 month from case.start
      by case.visits.date where not visit.seen_alone and visit.date >= case.start

    rule per-item "A list of dates of each item"
      source "test"
      kind bottom-line
      for each plan in case.plans
      every 1 month from plan.start
      by plan.reviews

    rule nested "A list of dates of each record, flattened"
      source "test"
      kind bottom-line
      every 1 month from case.start
      by case.visits.dates
    """
