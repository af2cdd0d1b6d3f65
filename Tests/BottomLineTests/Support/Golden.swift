import Foundation
import XCTest

/// Paths of the repository, found from this file's location.
enum Repo {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    static func read(_ relative: String) -> String {
        (try? String(contentsOfFile: path(relative), encoding: .utf8)) ?? ""
    }
}

/// Compares `actual` with the golden file `Tests/Fixtures/golden/<name>`. With
/// `UPDATE_GOLDEN=1 swift test` the file is rewritten instead; review the diff before committing.
func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    let path = Repo.path("Tests/Fixtures/golden/" + name)
    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? actual.write(toFile: path, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
        XCTFail("golden file \(name) is missing; run `UPDATE_GOLDEN=1 swift test` and review it", file: file, line: line)
        return
    }
    if expected != actual {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var firstDiff = 0
        while firstDiff < min(e.count, a.count), e[firstDiff] == a[firstDiff] { firstDiff += 1 }
        let exp = firstDiff < e.count ? String(e[firstDiff]) : "<end>"
        let got = firstDiff < a.count ? String(a[firstDiff]) : "<end>"
        XCTFail("\(name) differs at line \(firstDiff + 1):\n  expected: \(exp)\n  actual:   \(got)\n(UPDATE_GOLDEN=1 swift test rewrites it)", file: file, line: line)
    }
}
