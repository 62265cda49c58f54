import Foundation
import GRDB
@testable import Load
import Testing

/// A load whose WAL checkpoint runs afterwards on its own thread: the run is committed (readers
/// see it) before the checkpoint, and once it has run the database file holds everything and the
/// WAL is gone.
@Suite struct CatalogCheckpointTests {
    @Test func theRunIsCommittedFirstAndCheckpointedAfterwards() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("catalog.sqlite")
        let context = RunContext(runID: "a", pipeline: "t", specHash: "", startedAt: Date(timeIntervalSince1970: 1_790_000_000))
        // Enough rows for a WAL well over SQLite's automatic checkpoint size (1000 pages).
        let (rows, checkpoint) = try SQLiteCatalogSink(path: path).withTransaction(context: context, checkpointAfterwards: true) { writer in
            for product in SeenInLastRunTests.products(1...6000) { try writer.write(product) }
            return 6000
        }
        let pending = try #require(checkpoint)
        #expect(try SeenInLastRunTests.seen(path).count == rows, "committed before the checkpoint ran")
        pending.wait()
        pending.wait()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "the last connection closed after checkpointing")
        #expect(try SeenInLastRunTests.seen(path).count == rows)
        let integrity = try DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
    }

    @Test func withoutTheOptionTheCommitCheckpointsAsUsual() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("catalog.sqlite")
        let context = RunContext(runID: "a", pipeline: "t", specHash: "", startedAt: Date(timeIntervalSince1970: 1_790_000_000))
        let (_, checkpoint) = try SQLiteCatalogSink(path: path).withTransaction(context: context, checkpointAfterwards: false) { writer in
            for product in SeenInLastRunTests.products(1...100) { try writer.write(product) }
        }
        #expect(checkpoint == nil)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }
}
