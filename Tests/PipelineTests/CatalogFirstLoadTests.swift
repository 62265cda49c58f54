import Foundation
import GRDB
@testable import Load
import Testing

/// A first load into a catalog with no products goes through a rollback journal (each new page
/// written once, no checkpoint afterwards); the catalog is back in WAL mode when it ends,
/// whether it committed or failed, and a catalog another connection holds open stays in WAL.
@Suite struct CatalogFirstLoadTests {
    struct Interrupted: Error {}

    @Test func aFirstLoadSkipsTheWALAndLeavesTheCatalogInWALMode() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("catalog.sqlite")
        // Well over the load's page cache, so pages are spilled to the file before the commit.
        let checkpoint = try CatalogCheckpointTests.load(1...30_000, into: path, checkpointAfterwards: true)
        #expect(checkpoint == nil, "nothing to checkpoint: the pages went straight into the file")
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        #expect(try pragma("journal_mode", of: path) == "wal")
        #expect(try SeenInLastRunTests.seen(path).count == 30_000)
        #expect(try pragma("integrity_check", of: path) == "ok")
    }

    @Test func aFailedFirstLoadLeavesAnEmptyCatalogInWALMode() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("catalog.sqlite")
        let context = RunContext(runID: "a", pipeline: "t", specHash: "", startedAt: Date(timeIntervalSince1970: 1_790_000_000))
        #expect(throws: LoadError.self) {
            try SQLiteCatalogSink(path: path).withTransaction(context: context) { writer in
                for product in SeenInLastRunTests.products(1...30_000) { try writer.write(product) }
                throw Interrupted()
            }
        }
        #expect(try pragma("journal_mode", of: path) == "wal")
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        let count = try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM products") }
        #expect(count == 0)
    }

    @Test func aCatalogAnotherConnectionHoldsOpenIsLoadedThroughTheWAL() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("catalog.sqlite")
        _ = try CatalogDatabase(path: path)
        let reader = try DatabaseQueue(path: path)
        #expect(try reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM products") } == 0)
        let checkpoint = try CatalogCheckpointTests.load(1...100, into: path, checkpointAfterwards: true)
        #expect(checkpoint != nil, "the load stayed in WAL mode, so its checkpoint follows")
        checkpoint?.wait()
        #expect(try reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM products") } == 100)
        #expect(try reader.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
    }
}
