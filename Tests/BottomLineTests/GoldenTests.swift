import Foundation
import XCTest
@testable import BottomLine

/// Golden files for every user-visible output: lint diagnostics (text, colour, JSON, SARIF),
/// `check` (text, JSON, NDJSON), `explain`, `date`, and rejected input. `UPDATE_GOLDEN=1 swift test`
/// rewrites them; every change is reviewed by hand before it is committed.
final class GoldenTests: XCTestCase {
    /// The shipped rules plus a fixture file, with repository-relative paths.
    func lintFixture(_ name: String) -> RuleSet {
        let base = shippedRules.sources.files.map { ($0.path, $0.text) }
        let path = "Tests/Fixtures/lint/" + name
        return RuleSet.load(sources: base + [(path, Repo.read(path))])
    }

    func testLintText() {
        for name in ["every-mistake.rules", "lexical.rules"] {
            let rs = lintFixture(name)
            assertGolden(DiagnosticRenderer(sources: rs.sources).render(rs.diagnostics), "lint/\(name).txt")
        }
    }

    func testLintColourJSONAndSARIF() {
        let rs = lintFixture("every-mistake.rules")
        assertGolden(DiagnosticRenderer(sources: rs.sources, colour: true).render(rs.diagnostics), "lint/every-mistake.rules.colour.txt")
        assertGolden(DiagnosticJSON(sources: rs.sources).render(rs.diagnostics), "lint/every-mistake.rules.json")
        assertGolden(DiagnosticJSON(sources: rs.sources).renderSARIF(rs.diagnostics, toolVersion: "0.1.0"), "lint/every-mistake.rules.sarif")
    }

    func exampleInputs(_ dir: String) -> [(file: String, bytes: [UInt8])] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: Repo.path(dir))) ?? []).sorted()
        return names.map { ("\(dir)/\($0)", Array(Repo.read("\(dir)/\($0)").utf8)) }
    }

    func testCheckExamples() {
        let report = shippedRules.evaluate(inputs: exampleInputs("examples/cases"), asOf: date("2019-04-30"))
        XCTAssertEqual(report.casesRead, 26)
        XCTAssertEqual(report.casesRejected, 0)
        // Every outcome is exercised by the examples.
        XCTAssertEqual(Set(report.findings.map(\.outcome)), Set(Outcome.allCases))
        assertGolden(ReportText().render(report), "check/examples.txt")
        assertGolden(ReportText().render(report, show: .all), "check/examples-all.txt")
        assertGolden(ReportText().render(report, show: .counts), "check/examples-counts.txt")
        assertGolden(ReportJSON().render(report), "check/examples.json")
        assertGolden(ReportJSON().renderNDJSON(report, show: .actionable), "check/examples-actionable.ndjson")
    }

    /// The issue's September run: visits, reviews and a caseload over 17 naming the practitioner.
    func testCheckSeptember() {
        let report = shippedRules.evaluate(inputs: exampleInputs("examples/cases"), asOf: date("2019-09-30"))
        let caseload = report.findings.first { $0.rule == "caseload" && $0.outcome == .breached }
        XCTAssertEqual(caseload?.group, FindingGroup(by: "case.worker.id", value: "SW-30"))
        XCTAssertEqual(caseload?.value, 18)
        XCTAssertEqual(caseload?.limit, 17)
        for rule in ["cp-visits", "lac-visits", "lac-reviews", "cp-reviews"] {
            XCTAssertTrue(report.findings.contains { $0.rule == rule && $0.outcome.isActionable }, rule)
        }
        assertGolden(ReportText().render(report), "check/examples-2019-09-30.txt")
        assertGolden(ReportJSON().render(report, show: .actionable), "check/examples-2019-09-30-actionable.json")
        // What `explain --rule caseload --group SW-30` prints.
        assertGolden(FindingText().render(caseload!) + "\n", "explain/caseload-SW-30.txt")
        assertGolden(ReportJSON().render(caseload!), "explain/caseload-SW-30.json")
    }

    func testCheckBadInput() {
        let report = shippedRules.evaluate(inputs: exampleInputs("examples/bad-input"), asOf: date("2019-04-30"))
        XCTAssertEqual(report.casesRead, 6)
        XCTAssertEqual(report.casesRejected, 3)
        assertGolden(ReportText().render(report, show: .all), "check/bad-input.txt")
        assertGolden(ReportJSON().render(report), "check/bad-input.json")
    }

    func testExplain() {
        let report = shippedRules.evaluate(inputs: exampleInputs("examples/cases"), asOf: date("2019-04-30"))
        let f = report.findings.first { $0.rule == "icpc-timescale" && $0.caseID == "C-1042" }!
        assertGolden(FindingText().render(f) + "\n", "explain/icpc-C-1042.txt")
        assertGolden(ReportJSON().render(f), "explain/icpc-C-1042.json")
    }

    func testDate() throws {
        let cal = shippedRules.program!.calendars["england-and-wales"]!
        let easter = try DateCalculator.add(date("2019-04-10"), 15, .workingDays, calendar: cal).get()
        assertGolden(DateCalculator.text(easter), "date/easter.txt")
        assertGolden(DateCalculator.json(easter), "date/easter.json")
        let clamp = try DateCalculator.add(date("2019-01-31"), 1, .months, calendar: nil).get()
        assertGolden(DateCalculator.text(clamp), "date/month-clamp.txt")
        let between = try DateCalculator.between(date("2019-03-04"), date("2019-03-28"), .workingDays, calendar: cal).get()
        assertGolden(DateCalculator.text(between), "date/between.txt")
    }
}

/// The NDJSON output is one JSON value per line, each parseable on its own.
final class NDJSONShapeTests: XCTestCase {
    func testEveryLineIsOneJSONObject() throws {
        let text = try String(contentsOfFile: Repo.path("Tests/Fixtures/golden/check/examples-actionable.ndjson"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 5)
        for line in lines {
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)), String(line.prefix(80)))
        }
        let last = try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any]
        XCTAssertNotNil(last?["counts"])
    }
}

/// Deciding outcomes without tracing, then explaining only what is shown, gives exactly the
/// findings that tracing everything gives.
final class FastPassTests: XCTestCase {
    func testExplainingOnlyActionableChangesNothingShown() {
        let inputs = ["examples/cases/c-1042.json", "examples/cases/april-2019.ndjson", "examples/cases/new-referrals.json",
            "examples/cases/looked-after-and-plans.json", "examples/cases/caseload-sw30.ndjson"]
            .map { ($0, Array(Repo.read($0).utf8)) }
        for asOf in ["2019-04-30", "2019-09-30"] {
            let all = shippedRules.evaluate(inputs: inputs, asOf: date(asOf), explaining: .all)
            let fast = shippedRules.evaluate(inputs: inputs, asOf: date(asOf), explaining: .actionable)
            XCTAssertEqual(all.findings.map(\.outcome), fast.findings.map(\.outcome), asOf)
            XCTAssertEqual(all.findings.filter(\.outcome.isActionable), fast.findings.filter(\.outcome.isActionable), asOf)
            XCTAssertGreaterThan(all.findings.filter(\.outcome.isActionable).count, 10)
        }
    }
}

/// The streaming NDJSON of `check --format ndjson`: a golden file, and the same bytes whatever
/// the number of threads and however the input is cut into batches.
final class StreamingCheckTests: XCTestCase {
    func stream(threads: Int, batchBytes: Int, chunk: Int, show: FindingFilter = .actionable) -> [UInt8] {
        // (As many cores as threads, so that each run uses the threads it names on any machine.)
        let check = StreamingCheck(rules: shippedRules, asOf: date("2019-09-30"), show: show, threads: threads, batchBytes: batchBytes,
            cores: threads)
        var state = check.start()
        var out: [UInt8] = []
        for name in ["examples/cases/april-2019.ndjson", "examples/cases/caseload-sw30.ndjson", "examples/cases/looked-after-and-plans.json"] {
            var bytes = Array(Repo.read(name).utf8)[...]
            check.run(file: name, splitLines: name.hasSuffix(".ndjson"), read: {
                let piece = Array(bytes.prefix(chunk))
                bytes = bytes.dropFirst(chunk)
                return piece
            }, write: { out += $0 }, state: &state)
        }
        check.finish(&state, write: { out += $0 })
        XCTAssertEqual(state.casesRead, 23)
        return out
    }

    /// The same files held in memory whole (as a mapped file is): batches are windows on them.
    func streamInMemory(threads: Int, batchBytes: Int) -> [UInt8] {
        let check = StreamingCheck(rules: shippedRules, asOf: date("2019-09-30"), show: .actionable, threads: threads, batchBytes: batchBytes,
            cores: threads)
        var state = check.start()
        var out: [UInt8] = []
        var consumed: [Int] = []
        for name in ["examples/cases/april-2019.ndjson", "examples/cases/caseload-sw30.ndjson", "examples/cases/looked-after-and-plans.json"] {
            let bytes = Array(Repo.read(name).utf8)
            consumed = []
            bytes.withUnsafeBufferPointer { buffer in
                check.run(file: name, bytes: buffer, splitLines: name.hasSuffix(".ndjson"), write: { out += $0 },
                    consumed: { consumed.append($0) }, state: &state)
            }
            XCTAssertEqual(consumed.last, bytes.count, name)
            XCTAssertEqual(consumed, consumed.sorted(), name)
        }
        check.finish(&state, write: { out += $0 })
        XCTAssertEqual(state.casesRead, 23)
        return out
    }

    func testGoldenAndIndependentOfThreadsAndBatches() {
        let one = stream(threads: 1, batchBytes: 1 << 20, chunk: 1 << 20)
        assertGolden(String(decoding: one, as: UTF8.self), "check/stream-2019-09-30-actionable.ndjson")
        XCTAssertEqual(stream(threads: 2, batchBytes: 1024, chunk: 700), one)
        XCTAssertEqual(stream(threads: 3, batchBytes: 1024, chunk: 4096), one)
        XCTAssertEqual(streamInMemory(threads: 1, batchBytes: 1 << 20), one)
        XCTAssertEqual(streamInMemory(threads: 2, batchBytes: 1024), one)
    }

    /// Each thread has a program of its own (so that threads do not count references to the same
    /// objects), checked from the same rule files: the same rules in the same order; one thread
    /// uses the rule set's own program, and a rule set with errors has none.
    func testEachThreadHasItsOwnProgram() throws {
        let program = try XCTUnwrap(shippedRules.program)
        let one = StreamingCheck(rules: shippedRules, asOf: date("2019-09-30"), threads: 1)
        XCTAssertEqual(one.workers.count, 1)
        XCTAssertTrue(one.workers[0].program === program)
        func check(threads: Int, cores: Int) -> StreamingCheck {
            StreamingCheck(rules: shippedRules, asOf: date("2019-09-30"), show: .all, threads: threads, batchBytes: 256 << 10, cores: cores)
        }
        let three = check(threads: 3, cores: 3)
        XCTAssertEqual(three.workers.count, 3)
        XCTAssertTrue(three.workers[0].program === program)
        for (a, b) in [(0, 1), (0, 2), (1, 2)] {
            XCTAssertFalse(three.workers[a].program === three.workers[b].program)
            XCTAssertFalse(three.workers[a].program.rules[0] === three.workers[b].program.rules[0])
        }
        for w in three.workers { XCTAssertEqual(w.program.rules.map(\.id), program.rules.map(\.id)) }
        // At most one program a batch in flight, however many threads are asked for.
        XCTAssertEqual(check(threads: 100, cores: 100).workers.count, 32)
        // No more programs than cores: more threads would only take turns.
        XCTAssertEqual(check(threads: 16, cores: 2).workers.count, 2)
        XCTAssertEqual(check(threads: 2, cores: 1).workers.count, 1)
        let broken = RuleSet.load(sources: [(path: "broken.rules", text: "rule x \"X\"\n  require\n")])
        XCTAssertFalse(broken.isUsable)
        XCTAssertTrue(StreamingCheck(rules: broken, asOf: date("2019-09-30"), threads: 3).workers.isEmpty)
    }

    /// The counts a streaming run tallies without making findings agree, rule by rule and outcome
    /// by outcome, with the findings the library makes one by one; `--show counts` writes the
    /// same counts line and nothing else.
    func testTalliedCountsMatchTheFindings() throws {
        func lines(_ b: [UInt8]) -> [Substring] { String(decoding: b, as: UTF8.self).split(separator: "\n") }
        let actionable = lines(stream(threads: 2, batchBytes: 1024, chunk: 700))
        let counts = lines(stream(threads: 1, batchBytes: 1024, chunk: 4096, show: .counts))
        let all = lines(stream(threads: 1, batchBytes: 1 << 20, chunk: 1 << 20, show: .all))
        XCTAssertEqual(counts.count, 1)
        XCTAssertEqual(counts.last, actionable.last)
        XCTAssertEqual(counts.last, all.last)
        XCTAssertEqual(all.count - 1, all.filter { $0.hasPrefix("{\"rule\"") }.count)

        let inputs = ["examples/cases/april-2019.ndjson", "examples/cases/caseload-sw30.ndjson", "examples/cases/looked-after-and-plans.json"]
            .map { ($0, Array(Repo.read($0).utf8)) }
        let report = shippedRules.evaluate(inputs: inputs, asOf: date("2019-09-30"))
        let line = try XCTUnwrap(counts.last)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let byRule = try XCTUnwrap((json["counts"] as? [String: Any])?["by_rule"] as? [String: [String: Int]])
        for rule in shippedRules.program!.rules {
            for o in Outcome.allCases {
                let expected = report.findings.filter { $0.rule == rule.id && $0.outcome == o }.count
                XCTAssertEqual(byRule[rule.id]?[o.rawValue], expected, "\(rule.id) \(o.rawValue)")
            }
        }
        XCTAssertGreaterThan(report.findings.count, 100)
    }

    /// Four batches per worker are in flight, but never more than 32 (so the output held stays
    /// bounded on machines with many cores), and the output does not change.
    func testBatchesInFlightAreCapped() {
        XCTAssertEqual(StreamingCheck.batchesInFlight(workers: 1), 4)
        XCTAssertEqual(StreamingCheck.batchesInFlight(workers: 2), 8)
        XCTAssertEqual(StreamingCheck.batchesInFlight(workers: 8), 32)
        XCTAssertEqual(StreamingCheck.batchesInFlight(workers: 40), 32)
        XCTAssertEqual(stream(threads: 40, batchBytes: 1024, chunk: 700), stream(threads: 1, batchBytes: 1 << 20, chunk: 1 << 20))
    }

    func testOutcomeIndexIsItsPlaceInAllCases() {
        for (i, o) in Outcome.allCases.enumerated() { XCTAssertEqual(o.index, i, o.rawValue) }
    }

    /// A library caller that streams with rules that have errors gets each input back as one
    /// rejection saying so, and the closing counts: no crash, no silent empty output.
    func testStreamingWithUnusableRulesRejectsEachInput() throws {
        let rules = RuleSet.load(sources: [("broken.rules", "rule r \"R\"\n  source \"S\"\n  kind nonsense\n")])
        XCTAssertFalse(rules.isUsable)
        let check = StreamingCheck(rules: rules, asOf: date("2019-04-30"), threads: 2)
        var state = check.start()
        var out: [UInt8] = []
        let input = Array("{\"id\": \"C-1\"}\n".utf8)
        var chunks = [input]
        check.run(file: "a.ndjson", read: { chunks.isEmpty ? [] : chunks.removeFirst() }, write: { out += $0 }, state: &state)
        input.withUnsafeBufferPointer { bytes in check.run(file: "b.ndjson", bytes: bytes, write: { out += $0 }, state: &state) }
        check.finish(&state, write: { out += $0 })
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, lines.joined(separator: "\n"))
        for (line, file) in zip(lines, ["a.ndjson", "b.ndjson"]) {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let rejected = try XCTUnwrap(object["rejected"] as? [String: Any], line)
            XCTAssertEqual(rejected["file"] as? String, file)
            XCTAssertEqual(rejected["reason"] as? String, "the rule set has errors, so nothing was evaluated")
            XCTAssertEqual(rejected["help"] as? String, "run `bottomline lint` to see them")
        }
        XCTAssertTrue(lines[2].hasPrefix("{\"as_of\":\"2019-04-30\",\"cases_read\":0,\"cases_rejected\":2"), lines[2])
        XCTAssertEqual(state.casesRejected, 2)
        XCTAssertEqual(state.casesRead, 0)
    }

    func testRejectionsAreInlineWithTheirLines() {
        let check = StreamingCheck(rules: shippedRules, asOf: date("2019-04-30"), show: .all, threads: 2, batchBytes: 1024)
        var state = check.start()
        var out: [UInt8] = []
        var text = Array(Repo.read("examples/bad-input/malformed.ndjson").utf8)[...]
        check.run(file: "malformed.ndjson", read: { let p = Array(text.prefix(50)); text = text.dropFirst(50); return p }, write: { out += $0 }, state: &state)
        check.finish(&state, write: { out += $0 })
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n")
        let rejected = lines.filter { $0.hasPrefix("{\"rejected\"") }
        XCTAssertEqual(rejected.count, 1)
        XCTAssertTrue(rejected[0].contains("\"line\":2") && rejected[0].contains("\"position\":1"), String(rejected[0]))
        XCTAssertEqual(state.casesRead, 3)
        XCTAssertEqual(state.casesRejected, 1)
    }
}

/// The JSON writer: its word-at-a-time test for strings that need no escaping agrees with the
/// byte-by-byte definition, whatever the bytes and their position in a word; fields rendered
/// beforehand read as if written one by one.
final class JSONWriterTests: XCTestCase {
    /// Whole numbers are written in place, digits counted first: every length of number, each
    /// side of every power of ten, negative ones and the extremes, read as Swift writes them, and
    /// nothing before them is touched.
    func testWholeNumbersOfEveryLength() {
        var numbers = [0, 1, 9, 10, 11, 99, 100, 101, Int.max, Int.max - 1, Int.min, Int.min + 1, -1, -10, -99, -100]
        var power = 1
        for _ in 1...18 {
            power *= 10
            numbers += [power - 1, power, power + 1, -(power - 1), -power, 7 * power + 3]
        }
        for n in numbers {
            let buffer = ByteBuffer(capacity: 16)
            buffer.append(0x5B)
            buffer.append(decimal: n)
            buffer.append(0x5D)
            XCTAssertEqual(String(decoding: buffer.array, as: UTF8.self), "[\(n)]")
        }
    }

    /// Short pieces are copied by overlapping words: every length from 0 to 16 bytes lands whole,
    /// in place, and nothing around it is touched.
    func testShortCopyOfEveryLength() {
        for n in 0...16 {
            let source = (0..<n).map { UInt8(0x41 + $0) }
            var target = [UInt8](repeating: 0xEE, count: 40)
            source.withUnsafeBytes { from in
                target.withUnsafeMutableBytes { to in
                    ByteBuffer.copyShort(from.baseAddress ?? UnsafeRawPointer(to.baseAddress!), to: to.baseAddress! + 8, count: n)
                }
            }
            XCTAssertEqual(Array(target[8..<8 + n]), source, "\(n) bytes")
            XCTAssertTrue(target[..<8].allSatisfy { $0 == 0xEE } && target[(8 + n)...].allSatisfy { $0 == 0xEE }, "\(n) bytes")
        }
        // And through the buffer: keys and text of every short length, after what it held.
        for n in 0...17 {
            let text = String(repeating: "k", count: n)
            var w = JSONWriter()
            w.beginObject()
            w.field("a", text)
            w.endObject()
            XCTAssertEqual(w.string, "{\"a\":\"\(text)\"}")
        }
    }

    func testPlainCopyAgreesWithTheDefinition() {
        var rng = SystemRandomNumberGenerator()
        let interesting: [UInt8] = [0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xC3, 0xFF, 0x41]
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...40, using: &rng)
            let bytes = (0..<n).map { _ in Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0x20...0x7E, using: &rng) }
            let expected = !bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
            // Checked and copied in one pass, a word at a time: the same answer, and when plain,
            // the bytes copied in place with nothing around them touched.
            var target = [UInt8](repeating: 0xEE, count: n + 16)
            let plain = bytes.withUnsafeBufferPointer { from in
                target.withUnsafeMutableBufferPointer { to in
                    from.baseAddress.map { ByteBuffer.copyIfPlain($0, count: n, to: to.baseAddress! + 8) } ?? true
                }
            }
            XCTAssertEqual(plain, expected, "\(bytes)")
            if plain {
                XCTAssertEqual(Array(target[8..<8 + n]), bytes, "\(bytes)")
                XCTAssertTrue(target[..<8].allSatisfy { $0 == 0xEE } && target[(8 + n)...].allSatisfy { $0 == 0xEE }, "\(bytes)")
            }
        }
        var w = JSONWriter()
        w.string("a \"quoted\" \\ path\n\u{1}ok and a long tail past eight bytes")
        XCTAssertEqual(w.string, #""a \"quoted\" \\ path\n\u0001ok and a long tail past eight bytes""#)
    }

    /// Text that needs escaping, written in one piece into room reserved beforehand for the worst
    /// case (every byte a `\u00XX`): each control character as JSON writes it (checked against a
    /// table written out by hand), and every string read back by Foundation's JSON reader as it
    /// was, whatever its bytes and length.
    func testEscapedTextReadsBackAsWritten() throws {
        let short: [UInt8: String] = [0x0A: #"\n"#, 0x0D: #"\r"#, 0x09: #"\t"#, 0x22: #"\""#, 0x5C: #"\\"#]
        let hex = Array("0123456789abcdef")
        for b in UInt8(0)...0x7F {
            var w = JSONWriter()
            w.object("step", String(UnicodeScalar(b)), "value", "v", "from", "f", "note", nil)
            let expected = short[b] ?? (b < 0x20 ? "\\u00\(hex[Int(b >> 4)])\(hex[Int(b & 0xF)])" : String(UnicodeScalar(b)))
            XCTAssertEqual(w.string, #"{"step":""# + expected + #"","value":"v","from":"f"}"#, "byte \(b)")
        }
        var rng = SystemRandomNumberGenerator()
        let pieces = ["\u{0}", "\u{1f}", "\"", "\\", "\n", "\t", "a", "é", "—", "😀", " ", "/"]
        for n in [0, 1, 7, 8, 9, 15, 16, 17, 40] + (0..<300).map({ _ in Int.random(in: 0...60, using: &rng) }) {
            let texts = (0..<4).map { _ in String((0..<n).map { _ in pieces.randomElement(using: &rng)! }.joined()) }
            var w = JSONWriter()
            w.beginArray()
            w.object("step", texts[0], "value", texts[1], "from", texts[2], "note", texts[3])
            w.object("step", texts[0], "value", LocalDate(dayNumber: Int32(n)), "from", texts[2], "note", nil)
            w.string(texts[3])
            w.endArray()
            let read = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(w.string.utf8)) as? [Any], w.string)
            let first = try XCTUnwrap(read[0] as? [String: String])
            XCTAssertEqual(first, ["step": texts[0], "value": texts[1], "from": texts[2], "note": texts[3]])
            let second = try XCTUnwrap(read[1] as? [String: String])
            XCTAssertEqual(second, ["step": texts[0], "value": LocalDate(dayNumber: Int32(n)).description, "from": texts[2]])
            XCTAssertEqual(read[2] as? String, texts[3])
        }
        // The worst case fills the room reserved for it exactly: every byte escaped in full.
        let controls = String(repeating: "\u{1}", count: 33)
        var w = JSONWriter()
        w.object("step", controls, "value", controls, "from", controls, "note", controls)
        // `{`, four keys with their quotes and colons (7 + 8 + 7 + 7), three commas, `}`, and four
        // values of 33 escapes of six bytes and their quotes.
        XCTAssertEqual(w.string.utf8.count, 1 + 29 + 3 + 1 + 4 * (6 * 33 + 2), w.string)
    }

    /// A date is written as its description, quoted, in years the ISO form covers and beyond them.
    func testDatesAreWrittenAsTheirDescription() {
        for n in [Int32.min, -800_000, -719_528, -1, 0, 10_957, 2_932_896, 2_932_897, 5_000_000, Int32.max] {
            let d = LocalDate(dayNumber: n)
            var w = JSONWriter()
            w.beginArray()
            w.date(d)
            w.object("step", "s", "value", d, "from", "f", "note", nil)
            w.endArray()
            XCTAssertEqual(w.string, #"[""# + d.description + #"",{"step":"s","value":""# + d.description + #"","from":"f"}]"#, "\(n)")
        }
    }

    /// An outcome is written as its raw value (the JSON contract), copied whole: the two spellings
    /// of each cannot drift apart.
    func testOutcomesAreWrittenAsTheirRawValues() {
        for o in Outcome.allCases {
            XCTAssertEqual(o.json.description, o.rawValue)
            for pretty in [false, true] {
                var w = JSONWriter(pretty: pretty)
                w.beginObject()
                w.field("outcome", plain: o.json)
                w.field("n", 1)
                w.endObject()
                var byText = JSONWriter(pretty: pretty)
                byText.beginObject()
                byText.field("outcome", o.rawValue)
                byText.field("n", 1)
                byText.endObject()
                XCTAssertEqual(w.string, byText.string)
            }
        }
    }

    /// A unit of time is written as its raw value (the JSON contract), copied whole: the two
    /// spellings of each cannot drift apart.
    func testUnitsAreWrittenAsTheirRawValues() {
        for unit in DurationUnit.allCases {
            XCTAssertEqual(unit.json.description, unit.rawValue)
            for pretty in [false, true] {
                var w = JSONWriter(pretty: pretty)
                w.beginObject()
                w.key("late_by")
                w.object("amount", 12, "unit", plain: unit.json)
                w.endObject()
                var byText = JSONWriter(pretty: pretty)
                byText.beginObject()
                byText.key("late_by")
                byText.beginObject()
                byText.field("amount", 12)
                byText.field("unit", unit.rawValue)
                byText.endObject()
                byText.endObject()
                XCTAssertEqual(w.string, byText.string)
            }
        }
    }

    /// Objects written in one piece (`object`) read exactly as the same objects written field by
    /// field: compact and pretty, first and later in a list and as a field's value, with text
    /// that needs escaping, short and long text, a date, and the last field left out.
    func testObjectsInOnePieceReadAsFieldByField() {
        let texts = ["", "as of", "previous case supervision", "case.supervisions[24]", "a \"quoted\" \\ step\n\u{1}", "é — ü"]
        for pretty in [false, true] {
            var one = JSONWriter(pretty: pretty)
            var byField = JSONWriter(pretty: pretty)
            one.beginObject()
            byField.beginObject()
            one.key("workings")
            byField.key("workings")
            one.beginArray()
            byField.beginArray()
            for (i, a) in texts.enumerated() {
                let b = texts[(i + 1) % texts.count], c = texts[(i + 2) % texts.count]
                let note: String? = i % 2 == 0 ? nil : texts[(i + 3) % texts.count]
                let d = LocalDate(dayNumber: Int32(i * 400))
                one.object("step", a, "value", b, "from", c, "note", note)
                one.object("step", a, "value", d, "from", c, "note", note)
                for second in [true, false] {
                    byField.beginObject()
                    byField.field("step", a)
                    if second { byField.field("value", b) } else { byField.field("value", d) }
                    byField.field("from", c)
                    byField.optionalField("note", note)
                    byField.endObject()
                }
            }
            one.endArray()
            byField.endArray()
            one.key("late_by")
            byField.key("late_by")
            one.object("amount", -3, "unit", plain: "working days")
            byField.beginObject()
            byField.field("amount", -3)
            byField.field("unit", "working days")
            byField.endObject()
            one.endObject()
            byField.endObject()
            XCTAssertEqual(one.string, byField.string, pretty ? "pretty" : "compact")
            XCTAssertTrue(one.string.contains(#""step":"a \"quoted\" \\ step\n\u0001""#) || pretty, one.string)
        }
    }

    /// Fields rendered once and written into many objects read as if written one by one: commas
    /// before and after them, escapes kept, in first, middle and last place.
    func testFieldsRenderedBeforehand() {
        let rendered = JSONWriter.renderedFields { w in
            w.field("title", "A \"quoted\" title")
            w.field("n", 2)
        }
        XCTAssertEqual(String(decoding: rendered, as: UTF8.self), #""title":"A \"quoted\" title","n":2"#)
        var w = JSONWriter()
        for place in 0..<3 {
            w.beginObject()
            if place > 0 { w.field("a", 1) }
            w.fields(rendered: rendered)
            if place < 2 { w.field("b", true) }
            w.endObject()
            w.newline()
        }
        w.beginObject()
        w.field("a", 1)
        w.fields(rendered: JSONWriter.renderedFields { _ in })  // no fields: no comma either
        w.field("b", 2)
        w.endObject()
        XCTAssertEqual(w.string.split(separator: "\n"), [
            #"{"title":"A \"quoted\" title","n":2,"b":true}"#,
            #"{"a":1,"title":"A \"quoted\" title","n":2,"b":true}"#,
            #"{"a":1,"title":"A \"quoted\" title","n":2}"#,
            #"{"a":1,"b":2}"#,
        ])
    }
}
