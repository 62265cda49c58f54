import Foundation
import GRDB
@testable import Load
import Testing

/// A load whose WAL checkpoint runs afterwards on its own thread: the run is committed (readers
/// see it) before the checkpoint, and once it has run the database file holds everything and the
/// WAL is gone.
@Suite struct CatalogCheckpointTests {
    static func load(_ ids: ClosedRange<Int64>, run: String = "a", into path: String, checkpointAfterwards: Bool) throws -> CatalogCheckpoint? {
        let context = RunContext(runID: run, pipeline: "t", specHash: "", startedAt: Date(timeIntervalSince1970: 1_790_000_000))
        return try SQLiteCatalogSink(path: path).withTransaction(context: context, checkpointAfterwards: checkpointAfterwards) { writer in
            for product in SeenInLastRunTests.products(ids) { try writer.write(product) }
        }.checkpoint
    }

    @Test func theRunIsCommittedFirstAndCheckpointedAfterwards() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("catalog.sqlite")
        // A catalog that holds products already: a first load goes through a rollback journal
        // instead (CatalogFirstLoadTests).
        #expect(try Self.load(100_000...100_000, run: "seed", into: path, checkpointAfterwards: true) == nil)
        // Enough rows for a WAL well over SQLite's automatic checkpoint size (1000 pages).
        let pending = try #require(try Self.load(1...6000, into: path, checkpointAfterwards: true))
        #expect(FileManager.default.fileExists(atPath: path + "-wal"), "the run went through the WAL")
        #expect(try SeenInLastRunTests.seen(path).count == 6000, "committed before the checkpoint ran")
        pending.wait()
        pending.wait()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "the last connection closed after checkpointing")
        #expect(try SeenInLastRunTests.seen(path).count == 6000)
        #expect(try pragma("integrity_check", of: path) == "ok")
    }

    @Test func withoutTheOptionTheCommitCheckpointsAsUsual() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("catalog.sqlite")
        #expect(try Self.load(1...100, into: path, checkpointAfterwards: false) == nil)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }
}
