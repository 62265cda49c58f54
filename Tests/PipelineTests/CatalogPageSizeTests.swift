import Foundation
import GRDB
@testable import Load
import Testing

/// New catalogs get 16 KB pages; a catalog an older alifeed created keeps its 4 KB pages (WAL
/// mode cannot change them) and takes runs as before.
@Suite struct CatalogPageSizeTests {
    @Test func aNewCatalogHasSixteenKilobytePages() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("new.sqlite")
        try SeenInLastRunTests.load(1...20, run: "a", into: path)
        #expect(try pragma("page_size", of: path, as: Int.self) == 16384)
        #expect(try SeenInLastRunTests.seen(path) == Array(1...20))
    }

    @Test func anExistingCatalogKeepsItsPageSize() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("old.sqlite")
        try CatalogDatabase.createAtVersion("v2", path: path)
        #expect(try pragma("page_size", of: path, as: Int.self) == 4096, "SQLite's default, as earlier alifeed builds created catalogs")
        try SeenInLastRunTests.load(1...20, run: "a", into: path)
        try SeenInLastRunTests.load(5...30, run: "b", into: path)
        #expect(try pragma("page_size", of: path, as: Int.self) == 4096)
        #expect(try SeenInLastRunTests.seen(path) == Array(5...30))
        #expect(try pragma("integrity_check", of: path) == "ok")
    }
}
