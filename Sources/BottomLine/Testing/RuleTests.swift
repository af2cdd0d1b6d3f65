import Foundation

/// The result of one rule test.
public struct RuleTestResult: Sendable {
    public let name: String
    /// `file:line` of the test.
    public let location: String
    public let passed: Bool
    /// For a failed test: each unmet expectation, with what was expected and what was found,
    /// and the workings out of the nearest finding.
    public let failures: [String]
}

/// The results of running rule tests: one per test, and the problems found in the test files.
public struct RuleTestReport: Sendable {
    public let results: [RuleTestResult]
    public let diagnostics: [Diagnostic]
    public let sources: SourceMap
    public var passed: Int { results.filter(\.passed).count }
    public var failed: Int { results.count - passed }
    /// Whether everything passed and the test files had no errors.
    public var succeeded: Bool { failed == 0 && !diagnostics.hasErrors }
}

/// Runs the tests written beside the rules (`*.test.rules`): each test gives an as-of date, one or
/// more cases, and expectations on the findings. A test that expects nothing is an error, so a test
/// can never pass by asserting nothing.
public enum RuleTests {
    /// Runs the tests in `files` (`(path, text)`) against `rules`. Case files named by a test are
    /// read with `readFile`, relative to the test file's folder.
    public static func run(rules: RuleSet, files: [(path: String, text: String)], readFile: (String) -> [UInt8]?) -> RuleTestReport {
        var map = SourceMap()
        var diagnostics: [Diagnostic] = []
        var results: [RuleTestResult] = []
        let ruleIDs = rules.program?.rules.map(\.id) ?? []
        for (path, text) in files {
            let id = map.add(SourceFile(path: path, text: text))
            let (tokens, lexDiagnostics) = lex(map[id], id: id)
            let (tree, parseDiagnostics) = parse(tokens, file: id)
            diagnostics += lexDiagnostics + parseDiagnostics
            let folder = (path as NSString).deletingLastPathComponent
            for decl in tree.declarations {
                guard case .test(let test) = decl else {
                    diagnostics.append(Diagnostic(.testCaseInvalid, "a test file holds only tests", at: nil,
                        help: "move rules, params and schemas into a `.rules` file beside it"))
                    continue
                }
                let location = map.location(test.span)
                var failures: [String] = []
                if test.expectations.isEmpty {
                    diagnostics.append(Diagnostic(.testAssertsNothing, "test \"\(test.name.value)\" expects nothing", at: test.name.span,
                        help: "add an `expect` line, like `expect icpc-timescale met`"))
                    failures.append("the test expects nothing")
                }
                guard let asOf = test.asOf else {
                    diagnostics.append(Diagnostic(.testCaseInvalid, "test \"\(test.name.value)\" has no `as of` date", at: test.name.span,
                        help: "add `as of 2019-04-30`: a test must not depend on today's date"))
                    results.append(RuleTestResult(name: test.name.value, location: location, passed: false, failures: ["no `as of` date"]))
                    continue
                }
                var inputs: [(file: String, bytes: [UInt8])] = []
                for (source, span) in test.cases {
                    switch source {
                    case .inline(let json): inputs.append(("\(path):\(map[id].lineColumn(of: span.start).line)", Array(json.utf8)))
                    case .file(let relative):
                        let full = folder.isEmpty ? relative : folder + "/" + relative
                        if let bytes = readFile(full) {
                            inputs.append((full, bytes))
                        } else {
                            diagnostics.append(Diagnostic(.testCaseInvalid, "cannot read the case file `\(full)`", at: span,
                                help: "paths are relative to the test file's folder"))
                            failures.append("cannot read `\(full)`")
                        }
                    }
                }
                let report = rules.evaluate(inputs: inputs, asOf: asOf)
                for r in report.rejected {
                    failures.append("case rejected: \(r.location.file) line \(r.line): \(r.message)")
                }
                for e in test.expectations {
                    guard ruleIDs.contains(e.rule.name) else {
                        let near = closest(e.rule.name, in: ruleIDs)
                        diagnostics.append(Diagnostic(.unknownRule, "there is no rule `\(e.rule.name)`", at: e.rule.span,
                            help: near.map { "did you mean `\($0)`?" }, fixIt: near.map { FixIt(span: e.rule.span, replacement: $0) }))
                        failures.append("no rule `\(e.rule.name)`")
                        continue
                    }
                    let candidates = report.findings.filter { $0.rule == e.rule.name }
                    if let failure = check(e, against: candidates) { failures.append(failure) }
                }
                results.append(RuleTestResult(name: test.name.value, location: location, passed: failures.isEmpty, failures: failures))
            }
        }
        return RuleTestReport(results: results, diagnostics: diagnostics, sources: map)
    }

    /// `nil` when some finding meets every constraint of `e`; otherwise what went wrong.
    static func check(_ e: Expectation, against findings: [Finding]) -> String? {
        if e.noFindings {
            return findings.isEmpty ? nil : "expected: no findings of \(e.rule.name)\n  got:      \(findings.map(summary).joined(separator: "\n            "))"
        }
        func matches(_ f: Finding) -> Bool {
            (e.outcome == nil || f.outcome == e.outcome) && (e.occurrence == nil || f.occurrence == e.occurrence)
                && (e.item == nil || f.item == e.item) && (e.group == nil || f.group?.value == e.group)
                && (e.due == nil || f.due == e.due) && (e.done == nil || f.done == e.done)
                && (e.lateBy == nil || (f.lateBy?.amount == e.lateBy?.amount && f.lateBy?.unit == e.lateBy?.unit))
                && (e.timeLeft == nil || (f.timeLeft?.amount == e.timeLeft?.amount && f.timeLeft?.unit == e.timeLeft?.unit))
        }
        if findings.contains(where: matches) { return nil }
        var out = "expected: \(describe(e))\n"
        if findings.isEmpty { return out + "  got:      no findings of \(e.rule.name)" }
        out += "  got:      " + findings.map(summary).joined(separator: "\n            ")
        // The workings of the finding nearest to what was expected.
        let nearest = findings.first { $0.occurrence == e.occurrence && $0.item == (e.item ?? $0.item) } ?? findings[0]
        out += "\n" + FindingText().render(nearest).split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
        return out
    }

    static func describe(_ e: Expectation) -> String {
        var parts = [e.rule.name, e.outcome?.rawValue ?? ""]
        if let k = e.occurrence { parts.append("occurrence \(k)") }
        if let i = e.item { parts.append("item \"\(i)\"") }
        if let g = e.group { parts.append("group \"\(g)\"") }
        if let d = e.due { parts.append("due \(d)") }
        if let d = e.done { parts.append("done \(d)") }
        if let l = e.lateBy { parts.append("late by \(l)") }
        if let l = e.timeLeft { parts.append("time left \(l)") }
        return parts.joined(separator: " ")
    }

    static func summary(_ f: Finding) -> String {
        var parts = [f.rule, f.outcome.rawValue]
        if let k = f.occurrence { parts.append("occurrence \(k)") }
        if let i = f.item { parts.append("item \"\(i)\"") }
        if let g = f.group { parts.append("group \"\(g.value)\"") }
        if let d = f.due { parts.append("due \(d)") }
        if let d = f.done { parts.append("done \(d)") }
        if let l = f.lateBy { parts.append("late by \(l.unit.describe(l.amount))") }
        if let l = f.timeLeft { parts.append("time left \(l.unit.describe(l.amount))") }
        if let r = f.reason { parts.append("(\(r))") }
        return parts.joined(separator: " ")
    }

    /// The text report: each test by name, failures with expected and found, and last the line
    /// `N passed, N failed`.
    public static func text(_ r: RuleTestReport, colour: Bool = false) -> String {
        var out = ""
        if !r.diagnostics.isEmpty { out += DiagnosticRenderer(sources: r.sources, colour: colour).render(r.diagnostics) + "\n" }
        var lastFile = ""
        for t in r.results {
            let file = String(t.location.split(separator: ":").first ?? "")
            if file != lastFile {
                out += file + "\n"
                lastFile = file
            }
            out += (t.passed ? "  PASS  " : "  FAIL  ") + t.name + "\n"
            for f in t.failures {
                out += f.split(separator: "\n", omittingEmptySubsequences: false).map { "        " + $0 }.joined(separator: "\n") + "\n"
                out += "        (\(t.location))\n"
            }
        }
        let errors = r.diagnostics.filter { $0.severity == .error }.count
        let failed = r.failed + (r.results.isEmpty && errors > 0 ? errors : 0)
        out += "\(r.passed) passed, \(failed) failed\n"
        return out
    }
}
