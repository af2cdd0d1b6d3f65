import Foundation
import XCTest

/// Runs the built `bottomline` executable: exit codes and the first line of `date`, as a user
/// or a script sees them.
final class CommandLineTests: XCTestCase {
    /// The executable beside the test binary (`swift build` puts both in the same folder).
    var executable: URL? {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [
            testBinary.deletingLastPathComponent(),
            Bundle(for: Self.self).bundleURL.deletingLastPathComponent(),
            Repo.root.appendingPathComponent(".build/debug"),
        ].map { $0.appendingPathComponent("bottomline") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    func run(_ args: [String], stdin: String? = nil) throws -> (code: Int32, out: String, err: String) {
        let exe = try XCTUnwrap(executable, "build the executable first: swift build")
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.currentDirectoryURL = Repo.root
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        p.environment = env
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        inp.fileHandleForWriting.closeFile()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func testDate() throws {
        XCTAssertEqual(try run(["date", "2019-03-04", "+", "15", "working", "days"]).out.split(separator: "\n").first, "2019-03-25")
        let june = try run(["date", "2022-05-27", "+", "5", "working", "days"])
        XCTAssertEqual(june.out.split(separator: "\n").first, "2022-06-07")
        XCTAssertTrue(june.out.contains("2022-06-02") && june.out.contains("2022-06-03"))
        XCTAssertEqual(try run(["date", "between", "2019-03-04", "2019-03-28"]).out.split(separator: "\n").first, "18")
        XCTAssertEqual(try run(["date", "2019-03-04", "+", "15", "fortnights"]).code, 2)
    }

    func testExitCodes() throws {
        XCTAssertEqual(try run(["lint", "rules"]).code, 0)
        XCTAssertEqual(try run(["lint", "Tests/Fixtures/lint/every-mistake.rules"]).code, 1)
        XCTAssertEqual(try run(["check", "--as-of", "2019-04-30", "examples/cases"]).code, 0)
        XCTAssertEqual(try run(["check", "--as-of", "2019-04-30", "--fail-on", "overdue", "examples/cases"]).code, 1)
        XCTAssertEqual(try run(["check", "--as-of", "30/04/2019", "examples/cases"]).code, 2)
        XCTAssertEqual(try run(["check", "--as-of", "2019-04-30", "no/such/file.json"]).code, 2)
        XCTAssertEqual(try run(["chek"]).code, 2)
        XCTAssertTrue(try run(["chek"]).err.contains("did you mean `bottomline check`?"))
    }

    func testStandardInputAndExplain() throws {
        let r = try run(["check", "--as-of", "2019-04-30", "--format", "ndjson", "-"],
            stdin: #"{"case_id": "S-1", "referral": {"date": "2019-04-24"}}"# + "\n")
        XCTAssertEqual(r.code, 0)
        XCTAssertTrue(r.out.contains(#""case":"S-1""#) && r.out.contains(#""outcome":"overdue""#))
        let e = try run(["explain", "--as-of", "2019-04-30", "--rule", "icpc-timescale", "--case", "C-1042", "examples/cases"])
        XCTAssertEqual(e.code, 0)
        XCTAssertTrue(e.out.contains("done 3 working days late"))
        XCTAssertEqual(try run(["explain", "--as-of", "2019-04-30", "--rule", "icpc-timescale", "--case", "C-1942", "examples/cases"]).code, 2)
    }

    func testExplainAGroup() throws {
        // examples/cases/caseload-sw30.ndjson gives SW-30 eighteen distinct children (CH-3000…CH-3017).
        let g = try run(["explain", "--as-of", "2019-09-30", "--rule", "caseload", "--group", "SW-30", "examples/cases"])
        XCTAssertEqual(g.code, 0)
        XCTAssertTrue(g.out.contains("BREACHED  caseload  practitioner SW-30"), g.out)
        XCTAssertTrue(g.out.contains("18 against a limit of 17"), g.out)
        let miss = try run(["explain", "--as-of", "2019-09-30", "--rule", "caseload", "--group", "SW-3", "examples/cases"])
        XCTAssertEqual(miss.code, 2)
        XCTAssertTrue(miss.err.contains("did you mean `SW-30`?"), miss.err)
    }

    func testShowCountsOnly() throws {
        let text = try run(["check", "--as-of", "2019-04-30", "--show", "counts", "examples/cases"])
        XCTAssertEqual(text.code, 0)
        XCTAssertTrue(text.out.contains("; counts only") && text.out.contains("Summary: "), text.out)
        XCTAssertFalse(text.out.contains("OVERDUE"), text.out)
        let nd = try run(["check", "--as-of", "2019-04-30", "--format", "ndjson", "--show", "counts", "examples/cases"])
        XCTAssertEqual(nd.out.split(separator: "\n").count, 1)
        XCTAssertTrue(nd.out.hasPrefix("{\"as_of\":\"2019-04-30\""), nd.out)
        let bad = try run(["check", "--as-of", "2019-04-30", "--show", "some", "examples/cases"])
        XCTAssertEqual(bad.code, 2)
        XCTAssertTrue(bad.err.contains("`--show counts`"), bad.err)
    }
}
