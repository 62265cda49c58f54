import Catalog
import Foundation
import Load
import Synchronization
import Testing
@testable import Pipeline

/// A sink's writer on its own thread keeps the order it is given and turns a write failure into
/// an error for the load pass without hanging it.
@Suite struct SinkWorkerTests {
    /// Records the ids written; fails on `failAt` when set.
    final class Recorder: SinkWriter, @unchecked Sendable {
        struct DiskFull: Error {}
        let ids = Mutex<[Int64]>([])
        let failAt: Int64?
        init(failAt: Int64? = nil) { self.failAt = failAt }
        func write(_ product: Product) throws {
            if product.id == failAt { throw DiskFull() }
            ids.withLock { $0.append(product.id) }
        }
        func write(page: [Product]) throws { for product in page { try write(product) } }
        func close(context: RunContext) throws -> (rows: Int, output: any StagedOutput) { fatalError("not used") }
        func discard() {}
    }

    static func page(_ range: ClosedRange<Int64>) -> [Product] {
        range.map { Product(id: $0, title: "p\($0)", detailURL: "https://www.aliexpress.com/item/\($0).html", salePrice: Money(1, .usd)) }
    }

    @Test func writesEveryPageInOrder() throws {
        let recorder = Recorder()
        let worker = SinkWorker(capacity: 2, write: recorder.write(page:))
        worker.start()
        for start in stride(from: Int64(1), through: 951, by: 50) { try worker.submit(Self.page(start...(start + 49))) }
        try worker.finish()
        #expect(recorder.ids.withLock { $0 } == Array(1...1000))
    }

    /// The writer is woken for several batches at a time; fewer than that are written at finish.
    @Test(.timeLimit(.minutes(1))) func fewerBatchesThanAWakeUpAreWrittenAtFinish() throws {
        let recorder = Recorder()
        let worker = SinkWorker(capacity: 8, wakeAt: 4, write: recorder.write(page:))
        worker.start()
        for start in stride(from: Int64(1), through: 101, by: 50) { try worker.submit(Self.page(start...(start + 49))) }
        try worker.finish()
        #expect(recorder.ids.withLock { $0 } == Array(1...150))
    }

    @Test func aFailedWriteReachesTheLoadPass() throws {
        let recorder = Recorder(failAt: 120)
        let worker = SinkWorker(capacity: 1, write: recorder.write(page:))
        worker.start()
        // A later submit may report it already (the loop stops there); finish reports it in any case.
        for start in stride(from: Int64(1), through: 951, by: 50) where (try? worker.submit(Self.page(start...(start + 49)))) == nil { break }
        #expect(throws: Recorder.DiskFull.self) { try worker.finish() }
        #expect(recorder.ids.withLock { $0 } == Array(1...119), "nothing after the failure is written")
    }

    #if os(Linux)
    /// A feed's writer runs at a lower priority than the thread that made it (its nice value),
    /// so that the load pass and the catalog's writer get a core first; other writers do not.
    @Test(arguments: [true, false]) func aWriterThatYieldsRunsAtALowerPriority(yields: Bool) throws {
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let niceness = Mutex<[Int32]>([])
        let worker = SinkWorker<Int>(capacity: 2, wakeAt: 1, yieldsCPU: yields) { _ in
            niceness.withLock { $0.append(getpriority(which, 0)) }
        }
        worker.start()
        try worker.submit(1)
        try worker.finish()
        let own = getpriority(which, 0)
        #expect(niceness.withLock { $0 } == [yields ? min(own + SinkWorker<Int>.yieldingNiceness, 19) : own])
        #expect(getpriority(which, 0) == own, "the calling thread keeps its own")
    }
    #endif

    @Test func abandonStopsWithoutWritingTheRest() throws {
        let recorder = Recorder()
        let worker = SinkWorker(capacity: 64, write: recorder.write(page:))
        worker.start()
        for start in stride(from: Int64(1), through: 951, by: 50) { try worker.submit(Self.page(start...(start + 49))) }
        worker.abandon()
        let written = recorder.ids.withLock { $0 }
        #expect(written == Array(1..<Int64(written.count + 1)), "what was written is a prefix, in order")
        worker.abandon()  // a second call returns at once
    }
}
