/// Where a streaming run writes the findings it shows, as NDJSON lines, at the moment they are
/// found, so that no `Finding` is kept for them: an occurrence of a schedule (most findings
/// shown) is written straight from its parts, without a `Finding` or an `OccurrenceWorkings`
/// being made and freed at all; any other finding is made as before and written at once.
///
/// A `FindingSink` with one (`FindingSink.direct`) writes into it the findings it would keep, in
/// the order they are added, which is the order a sink's kept findings were written in after
/// each rule. One per batch, used by one thread. A class, so that every sink and judge the
/// evaluation passes it through shares the one output; its writer is reached once per finding.
final class FindingWriter {
    /// The batch's output. (Reached once per finding, never from within another access to it:
    /// not checked for exclusive access at run time, which cost some 90 instructions a finding.)
    @exclusivity(unchecked) var w: JSONWriter
    let json = ReportJSON()
    /// Each rule's fields and steps rendered beforehand (`ReportJSON.RuleFields`), by rule index.
    let ruleFields: [ReportJSON.RuleFields]
    /// How many findings were written.
    private(set) var written = 0

    /// `capacity`: room for that many bytes of output at once.
    init(capacity: Int, ruleFields: [ReportJSON.RuleFields]) {
        w = JSONWriter(capacity: capacity)
        self.ruleFields = ruleFields
    }

    /// Writes `f`, a finding of the rule at `ruleIndex` (in the program), as one line.
    func write(_ f: inout Finding, ruleIndex: Int) {
        FindingWriter.write(&f, json, ruleFields, ruleIndex, &w)
        written += 1
    }

    @inline(never)
    private static func write(_ f: inout Finding, _ json: ReportJSON, _ ruleFields: [ReportJSON.RuleFields], _ rule: Int, _ w: inout JSONWriter) {
        ruleFields.withUnsafeBufferPointer { json.write(&f, &w, ruleFields: $0[rule]) }
        w.newline()
    }

    /// Writes, as one line, the finding of an occurrence of a schedule of the rule at `ruleIndex`
    /// from its parts: the finding `deadlineFinding` makes with its workings as an
    /// `OccurrenceWorkings` of `steps` and `schedule`, written as `ReportJSON` writes it; the
    /// interval's step from `shifted` (the step `steps` leaves out).
    func writeOccurrence(ruleIndex: Int, _ subject: FindingSubject, _ outcome: Outcome, due: LocalDate, _ amounts: DeadlineAmounts,
        occurrence: Int, _ steps: OccurrenceSteps, shifted: Shifted?, of schedule: ScheduleWorkings)
    {
        FindingWriter.writeOccurrence(subject, outcome, due: due, amounts, occurrence: occurrence, steps, shifted: shifted, of: schedule,
            json, ruleFields, ruleIndex, &w)
        written += 1
    }

    // (Out of line: inlined into the schedule's judging, which is large, the writer's small copies
    // of bytes were no longer inlined into it, and were called, some forty times a finding.)
    @inline(never)
    private static func writeOccurrence(_ subject: FindingSubject, _ outcome: Outcome, due: LocalDate, _ amounts: DeadlineAmounts,
        occurrence: Int, _ steps: OccurrenceSteps, shifted: Shifted?, of schedule: ScheduleWorkings, _ json: ReportJSON,
        _ ruleFields: [ReportJSON.RuleFields], _ rule: Int, _ w: inout JSONWriter)
    {
        ruleFields.withUnsafeBufferPointer { fields in
            let rendered = fields[rule]
            json.writeHead(rendered, rule: subject.rule.text, caseID: subject.caseID, item: subject.item, occurrence: occurrence,
                outcome: outcome, due: due, done: amounts.done, lateBy: amounts.lateBy, timeLeft: amounts.timeLeft, &w)
            w.key("workings")
            w.beginArray()
            // (The rule not counted: the program holds it.)
            json.writeSteps(steps, of: schedule, &w, ruleFields: rendered, shifted: shifted.map { ($0, .passUnretained(subject.rule)) })
            w.endArray()
            w.endObject()
        }
        w.newline()
    }
}
