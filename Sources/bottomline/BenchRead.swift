import Foundation

/// `bottomline bench-read FILE...` (for Benchmarks/run.sh, not listed in help): the floor of a
/// run, reading the input in the same 4 MiB chunks as `check` and splitting it into lines.
enum BenchRead {
    static func run(_ argv: [String]) throws -> Int32 {
        var lines = 0
        var bytes = 0
        for path in argv {
            guard let h = FileHandle(forReadingAtPath: path) else { throw UsageError("cannot read `\(path)`") }
            while true {
                let chunk = h.readData(ofLength: 4 << 20)
                if chunk.isEmpty { break }
                bytes += chunk.count
                chunk.withUnsafeBytes { raw in
                    for b in raw where b == 0x0A { lines += 1 }
                }
            }
        }
        Terminal.err("{\"lines\": \(lines), \"bytes\": \(bytes)}\n")
        return 0
    }
}
