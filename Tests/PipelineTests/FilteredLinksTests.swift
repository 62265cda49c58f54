import Foundation
import Pipeline
import Testing

/// With filters, links are asked for only the products the filters keep: the first pass
/// normalizes and filters every page to learn them, and must keep the same products the load
/// writes.
@Suite struct FilteredLinksTests {
    @Test func linksAreAskedForExactlyTheProductsWritten() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        // One id per link call, so the calls count the ids links were asked for.
        let spec = try testPipeline(
            directory, keywords: ["wireless earbuds", "bluetooth earbuds"], pages: 1, pageSize: 50,
            transform: "  filters: {min_price: 5, min_rating: 90%}\n  affiliate_links: {batch_size: 1}", sinks: ["csv"])
        let summary = try await PipelineRunner(spec: spec).run()
        let rows = parseCSV(try String(contentsOfFile: directory.path("t.csv"), encoding: .utf8)).dropFirst()
        #expect(summary.filteredOut > 0)
        #expect(!rows.isEmpty)
        #expect(summary.retries == 0)
        let queryCalls = summary.pages
        #expect(summary.apiCalls - queryCalls == rows.count, "\(summary.apiCalls - queryCalls) link calls for \(rows.count) products written")
        #expect(summary.linksGenerated > 0)
    }
}
