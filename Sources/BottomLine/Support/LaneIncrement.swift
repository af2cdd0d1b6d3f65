extension SIMD8 where Scalar == Int {
    /// Adds one to lane `lane`, in place: a count by outcome, kept for every occurrence judged.
    /// (The subscript's setter copied the whole vector to the stack, stored the one lane there
    /// and loaded the vector back: a narrow store read at once by a wide load, which the
    /// processor cannot forward, and which stalled it for a dozen cycles or more each time; in a
    /// profile by time it was a quarter of a schedule's walk.)
    @inline(__always) mutating func increment(lane: Int) {
        precondition(lane >= 0 && lane < 8, "a lane of eight")
        withUnsafeMutablePointer(to: &self) { p in
            UnsafeMutableRawPointer(p).assumingMemoryBound(to: Int.self)[lane] += 1
        }
    }
}
