import Foundation

/// Batches handed to worker threads, and their results handed back in input order, for a
/// streaming run on several threads (see `StreamingCheck.pipeline`).
///
/// The thread that runs the check submits batches, numbered in input order, and takes their
/// results back by number, in order; workers take the lowest-numbered batch not yet taken each
/// time they are free. Results that come back early wait here until their turn. So the workers
/// never wait for the output of a batch to be written (as they did at the end of each wave of
/// batches evaluated together), and the output is in input order whatever the number of threads.
final class BatchPipeline<Batch: Sendable, Result: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Submitted batches not yet taken, by number.
    private var waiting: [Int: Batch] = [:]
    /// Results not yet taken back, by number.
    private var results: [Int: Result] = [:]
    private var submitted = 0
    private var taken = 0
    private var closed = false

    /// Adds the next batch (numbered from 0 in the order submitted); returns its number.
    @discardableResult
    func submit(_ batch: Batch) -> Int {
        condition.lock()
        defer { condition.unlock() }
        let number = submitted
        waiting[number] = batch
        submitted += 1
        condition.broadcast()
        return number
    }

    /// No more batches will be submitted: workers stop once every batch has been taken.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// For a worker: the lowest-numbered batch not yet taken, waiting for one to be submitted;
    /// nil when the pipeline is closed and every batch has been taken.
    func take() -> (number: Int, batch: Batch)? {
        condition.lock()
        defer { condition.unlock() }
        while taken == submitted && !closed { condition.wait() }
        guard taken < submitted, let batch = waiting.removeValue(forKey: taken) else { return nil }
        taken += 1
        return (taken - 1, batch)
    }

    /// For a worker: the result of batch `number`.
    func put(_ result: Result, for number: Int) {
        condition.lock()
        results[number] = result
        condition.broadcast()
        condition.unlock()
    }

    /// The result of batch `number`, waiting for it to be ready.
    func result(_ number: Int) -> Result {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let r = results.removeValue(forKey: number) { return r }
            condition.wait()
        }
    }
}
