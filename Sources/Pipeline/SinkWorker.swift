import Foundation

/// A sink's writer (a feed file, or the catalog's statements) on a thread of its own. The load
/// pass hands it a batch per page (the page's products, or the catalog's rows for them), so
/// decoding on the calling thread overlaps with writing here; batches are written in the order
/// they were handed over. At most `capacity` batches wait (and as many more are being written),
/// so memory stays bounded when the writer is the slow side.
///
/// A writer with `yieldsCPU` runs at a lower scheduling priority (nice +5): with more threads than
/// cores, the load pass and the catalog's writer (the longest thread) get a core first, and a
/// feed's writer takes the time they leave, its queue absorbing the lag.
final class SinkWorker<Batch>: @unchecked Sendable {
    // @unchecked: `write` (and what it writes to) is used by the worker thread only, from
    // `start()` until `finish()` or `abandon()` returns, and by the owner only before and after;
    // everything else is guarded by `condition`.
    private let write: (Batch) throws -> Void
    private let condition = NSCondition()
    private var queue: [Batch] = []
    private var closed = false
    private var done = false
    private var failure: (any Error)?
    private let capacity: Int
    private let wakeAt: Int
    private let yieldsCPU: Bool

    /// How much a writer that yields the CPU adds to its nice value (0 is the default, 19 the
    /// lowest priority).
    static var yieldingNiceness: Int32 { 5 }

    init(capacity: Int = 32, wakeAt: Int = 4, yieldsCPU: Bool = false, write: @escaping (Batch) throws -> Void) {
        self.write = write
        self.capacity = capacity
        self.wakeAt = min(wakeAt, capacity)
        self.yieldsCPU = yieldsCPU
    }

    func start() {
        let thread = Thread { [self] in
            // On Linux the nice value is the calling thread's own (`who` 0), not the process's
            // (elsewhere it is the process's, so nothing is changed there). Lowering the priority
            // needs no privilege; failing to is harmless (the writer runs as before). Relative to
            // the thread's own, so a job started with `nice` keeps it.
            #if os(Linux)
            if yieldsCPU {
                let which = __priority_which_t(PRIO_PROCESS.rawValue)
                _ = setpriority(which, 0, min(getpriority(which, 0) + Self.yieldingNiceness, 19))
            }
            #endif
            work()
        }
        thread.name = "alifeed sink writer"
        thread.start()
    }

    /// Queues a batch; waits while the queue is full. Throws the writer's error once it failed.
    func submit(_ batch: Batch) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append(batch)
        // The writer, when it waits, is woken for `wakeAt` batches at a time, not for each: the
        // load pass is the slower side, so the writers mostly wait, and waking three writers
        // for every page took 7 % of the load pass's time in a profile (about 10 µs a wake-up).
        if queue.count >= wakeAt { condition.broadcast() }
    }

    /// Waits until everything queued is written; the writer is then the owner's again (to be closed).
    func finish() throws {
        condition.lock()
        closed = true
        condition.broadcast()
        while !done { condition.wait() }
        let failure = failure
        condition.unlock()
        if let failure { throw failure }
    }

    /// Drops what is queued and waits for the thread to end; the writer is then the owner's to discard.
    func abandon() {
        condition.lock()
        queue.removeAll()
        closed = true
        condition.broadcast()
        while !done { condition.wait() }
        condition.unlock()
    }

    private func work() {
        var taken: [Batch] = []
        while true {
            condition.lock()
            while queue.count < wakeAt && !closed { condition.wait() }
            if queue.isEmpty {
                done = true
                condition.broadcast()
                condition.unlock()
                return
            }
            // Everything queued, in one go: the lock and the wake-ups once per group of batches.
            swap(&taken, &queue)
            let failed = failure != nil
            condition.broadcast()
            condition.unlock()
            guard !failed else {
                taken.removeAll(keepingCapacity: true)
                continue
            }
            do {
                for batch in taken { try write(batch) }
            } catch {
                condition.lock()
                failure = error
                condition.broadcast()
                condition.unlock()
            }
            taken.removeAll(keepingCapacity: true)
        }
    }
}
