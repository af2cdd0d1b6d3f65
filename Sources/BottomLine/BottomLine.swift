import Foundation

/// The public façade: the only place the stages are chained (source → tokens → syntax tree →
/// checked program → evaluation → findings). Load a rule set once, from files, a folder or source
/// strings, then evaluate snapshots against it as often as needed, from any thread: a `RuleSet`
/// is immutable and `Sendable`.
///
/// ```swift
/// let rules = RuleSet.load(paths: ["rules"])
/// guard rules.isUsable else { print(rules.renderDiagnostics()); return }
/// let report = rules.evaluate(json: bytes, file: "request", asOf: LocalDate(iso: "2019-04-30")!)
/// for f in report.findings where f.outcome == .overdue { print(f.rule, f.caseID) }
/// let json = report.json()
/// ```
public struct RuleSet: Sendable {
    /// The checked program; `nil` when the rule files have errors.
    public let program: CheckedProgram?
    /// Every diagnostic from every stage, for every file.
    public let diagnostics: [Diagnostic]
    /// The files read, for rendering diagnostics.
    public let sources: SourceMap

    /// Whether the rule set loaded without errors and can be evaluated.
    public var isUsable: Bool { program != nil }

    /// Lexes, parses and checks source texts given as `(path, text)` pairs.
    public static func load(sources texts: [(path: String, text: String)]) -> RuleSet {
        load(sources: texts, extraDiagnostics: [])
    }

    /// Reads `.rules` files from files and folders (recursively, in path order; `*.test.rules`
    /// files are tests, not rules, and are left out), then lexes, parses and checks them.
    public static func load(paths: [String]) -> RuleSet {
        var texts: [(path: String, text: String)] = []
        var problems: [Diagnostic] = []
        for path in RuleFiles.expand(paths, problems: &problems) {
            guard let data = FileManager.default.contents(atPath: path) else {
                problems.append(Diagnostic(.unreadableFile, "cannot read `\(path)`", at: nil,
                    help: "check that the file exists and can be read"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                problems.append(Diagnostic(.unreadableFile, "`\(path)` is not UTF-8 text", at: nil,
                    help: "save the file as UTF-8"))
                continue
            }
            texts.append((path, text))
        }
        if texts.isEmpty && problems.isEmpty {
            problems.append(Diagnostic(.emptyRuleSet, "no `.rules` files found in \(paths.map { "`\($0)`" }.joined(separator: ", "))",
                at: nil, help: "point at a folder of rule files, such as `rules/`"))
        }
        return load(sources: texts, extraDiagnostics: problems)
    }

    static func load(sources texts: [(path: String, text: String)], extraDiagnostics: [Diagnostic]) -> RuleSet {
        var map = SourceMap()
        var trees: [RuleFileSyntax] = []
        var diagnostics = extraDiagnostics
        for (path, text) in texts {
            let id = map.add(SourceFile(path: path, text: text))
            let (tokens, lexDiagnostics) = lex(map[id], id: id)
            let (tree, parseDiagnostics) = parse(tokens, file: id)
            diagnostics += lexDiagnostics + parseDiagnostics
            trees.append(tree)
        }
        let (program, checkDiagnostics) = check(trees, sources: map)
        diagnostics += checkDiagnostics
        return RuleSet(program: diagnostics.hasErrors ? nil : program, diagnostics: diagnostics, sources: map)
    }

    /// The diagnostics as text (optionally coloured), as JSON, or as SARIF.
    public func renderDiagnostics(colour: Bool = false) -> String {
        DiagnosticRenderer(sources: sources, colour: colour).render(diagnostics)
    }

    /// Evaluates every snapshot in `json` (an object, an array of objects, or NDJSON) at `asOf`.
    /// Requires a usable rule set (`isUsable`); otherwise nothing is evaluated and the report's
    /// single rejection says why.
    public func evaluate(json bytes: [UInt8], file: String, asOf: LocalDate) -> Report {
        evaluate(inputs: [(file, bytes)], asOf: asOf)
    }

    /// Evaluates several inputs into one report, in the order given. Findings of rules across
    /// cases come last, once every case has been read.
    public func evaluate(inputs: [(file: String, bytes: [UInt8])], asOf: LocalDate, explaining: FindingFilter = .all) -> Report {
        var report = Report(asOf: asOf, rules: program?.rules.map(\.id) ?? [])
        guard let program else {
            report.rejected.append(.unusableRules(file: inputs.first?.file ?? ""))
            return report
        }
        var population = PopulationAccumulator(program: program, asOf: asOf)
        let reader = SnapshotReader(schema: program.schema, idField: program.idField)
        for input in inputs {
            reader.read(input.bytes, file: input.file) { result in
                report.casesRead += 1
                switch result {
                case .accepted(let snapshot):
                    report.findings += BottomLine.evaluate(program, snapshot: snapshot, asOf: asOf, explaining: explaining)
                    population.add(snapshot)
                case .rejected(let rejection):
                    report.rejected.append(rejection)
                }
            }
        }
        report.findings += population.finish()
        return report
    }
}

/// The result of evaluating snapshots: every finding, every rejected snapshot, and counts that
/// always add up (`casesRead` = evaluated + rejected).
public struct Report: Sendable {
    public let asOf: LocalDate
    /// Rule ids in rule-set order, for the counts.
    public let rules: [String]
    public var casesRead = 0
    public var findings: [Finding] = []
    public var rejected: [Rejection] = []

    public init(asOf: LocalDate, rules: [String]) {
        self.asOf = asOf
        self.rules = rules
    }

    public var casesRejected: Int { rejected.count }

    /// Findings per rule and outcome, rules in rule-set order.
    public func counts() -> [(rule: String, outcomes: [Outcome: Int])] {
        var table: [String: [Outcome: Int]] = [:]
        for f in findings { table[f.rule, default: [:]][f.outcome, default: 0] += 1 }
        return rules.map { ($0, table[$0] ?? [:]) }
    }

    /// Findings per outcome.
    public func totals() -> [Outcome: Int] {
        var t: [Outcome: Int] = [:]
        for f in findings { t[f.outcome, default: 0] += 1 }
        return t
    }
}

/// Finding rule files on disk.
enum RuleFiles {
    /// Expands files and folders into `.rules` files (not `.test.rules`), sorted within each folder.
    static func expand(_ paths: [String], problems: inout [Diagnostic], includeTests: Bool = false) -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                problems.append(Diagnostic(.unreadableFile, "`\(path)` does not exist", at: nil,
                    help: "give a rule file or a folder of them, such as `rules/`"))
                continue
            }
            if !isDir.boolValue {
                out.append(path)
                continue
            }
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            let found = (fm.enumerator(atPath: path)?.compactMap { $0 as? String } ?? [])
                .filter { $0.hasSuffix(".rules") && (includeTests == $0.hasSuffix(".test.rules")) }
                .sorted()
            out += found.map { base + "/" + $0 }
        }
        return out
    }
}
