import Foundation
import XCTest
@testable import BottomLine

/// The pipeline of a streaming run on several threads: batches go to whichever worker is free,
/// results come back in input order, and no more than `batchesInFlight(workers:)` are cut ahead
/// of the output written.
final class BatchPipelineTests: XCTestCase {
    /// Workers that finish out of order (every third batch is slow) still give the results back
    /// in the order submitted, each batch taken once.
    func testResultsComeBackInOrderWhateverOrderTheyFinish() {
        let pipe = BatchPipeline<Int, Int>()
        let finished = DispatchGroup()
        let takenCount = Counter()
        for _ in 0..<3 {
            finished.enter()
            Thread {
                while let (n, batch) = pipe.take() {
                    takenCount.add()
                    if n % 3 == 0 { usleep(2000) }
                    pipe.put(batch * batch, for: n)
                }
                finished.leave()
            }.start()
        }
        var results: [Int] = []
        for i in 0..<40 { XCTAssertEqual(pipe.submit(i + 1), i) }
        for i in 0..<40 { results.append(pipe.result(i)) }
        pipe.close()
        XCTAssertEqual(finished.wait(timeout: .now() + 10), .success, "the workers stop once the pipeline is closed")
        XCTAssertEqual(results, (1...40).map { $0 * $0 })
        XCTAssertEqual(takenCount.value, 40)
    }

    /// A closed pipeline still hands out what was submitted before it closed, then nothing.
    func testClosedPipelineHandsOutWhatIsLeftThenNothing() {
        let pipe = BatchPipeline<String, String>()
        pipe.submit("a")
        pipe.close()
        XCTAssertEqual(pipe.take()?.batch, "a")
        XCTAssertNil(pipe.take())
    }

    /// `pipeline` never cuts more than `batchesInFlight(workers:)` batches ahead of the output, and
    /// reports each batch written once, in order; the output is the one-thread run's. (The
    /// machine's cores are given, so that the test does not depend on the machine.)
    func testBatchesInFlightAreBoundedAndWrittenInOrder() throws {
        // The example cases ten times over: some twenty batches of a kilobyte.
        let bytes = Array(String(repeating: Repo.read("examples/cases/april-2019.ndjson"), count: 10).utf8)
        func run(threads: Int, cores: Int = 2) throws -> (out: [UInt8], written: [Int], mostAhead: Int) {
            let check = StreamingCheck(rules: shippedRules, asOf: date("2019-09-30"), show: .all, threads: threads, batchBytes: 1024,
                cores: cores)
            let compiled = try XCTUnwrap(check.compiled)
            var state = check.start()
            var out: [UInt8] = []
            var written: [Int] = []
            var cut = 0
            var mostAhead = 0
            var position = StreamingCheck.FilePosition()
            var from = 0
            bytes.withUnsafeBufferPointer { all in
                func next() -> StreamingCheck.Batch? {
                    guard from < all.count else { return nil }
                    let rest = UnsafeBufferPointer(rebasing: all[from...])
                    let end = check.batchEnd(rest) ?? rest.count
                    defer { from += end }
                    cut += 1
                    mostAhead = max(mostAhead, cut - written.count)
                    return position.batch(file: "april", .window(UnsafeBufferPointer(rebasing: rest[..<end])))
                }
                check.pipeline(compiled, next: next, written: { written.append($0) }, write: { out += $0 }, state: &state)
            }
            XCTAssertEqual(written, Array(0..<cut))
            XCTAssertGreaterThan(cut, 8, "enough batches to fill the pipeline")
            return (out, written, mostAhead)
        }
        let one = try run(threads: 1)
        let two = try run(threads: 2)
        XCTAssertEqual(two.out, one.out)
        XCTAssertFalse(one.out.isEmpty)
        XCTAssertEqual(one.mostAhead, 1, "one thread: each batch is written before the next is cut")
        XCTAssertEqual(two.mostAhead, 8, "two workers: eight batches are cut ahead of the output")
        // No more workers than cores: two threads asked for on one core run as one.
        let manyThreads = try run(threads: 16, cores: 2)
        XCTAssertEqual(manyThreads.out, one.out)
        XCTAssertEqual(manyThreads.mostAhead, 8, "two workers, whatever the threads asked for")
        let oneCore = try run(threads: 2, cores: 1)
        XCTAssertEqual(oneCore.out, one.out)
        XCTAssertEqual(oneCore.mostAhead, 1)
    }
}

/// A count shared by threads.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
