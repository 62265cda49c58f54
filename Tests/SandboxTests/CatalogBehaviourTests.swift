import Foundation
import OpenPlatform
@testable import Sandbox
import Testing

/// The sandbox's catalog over the wire: deterministic, finite, related keywords overlap.
@Suite struct CatalogBehaviourTests {
    static func client(_ server: SandboxServer, trackingID: String = "alifeed_demo") -> OpenPlatformClient {
        let app = SandboxApp.demo
        return OpenPlatformClient(configuration: ClientConfiguration(
            endpoint: server.url, credentials: Credentials(appKey: app.appKey, appSecret: Secret(app.appSecret), trackingID: trackingID),
            rateLimit: RateLimit(qps: 1000, maxInFlight: 8)))
    }

    @Test func sameKeywordAndPageGiveTheSameProductsAcrossServers() async throws {
        let first = try await SandboxServer.start(configuration: SandboxConfiguration(seed: 7, day: 3))
        let second = try await SandboxServer.start(configuration: SandboxConfiguration(seed: 7, day: 3))
        let query = ProductQuery(keywords: "wireless earbuds", pageNo: 2, pageSize: 20)
        let a = try await Self.client(first).queryProducts(query)
        let b = try await Self.client(second).queryProducts(query)
        await first.stop()
        await second.stop()
        #expect(a.products.count == 20)
        #expect(a.products == b.products)
    }

    @Test func otherSeedsGiveOtherCatalogs() async throws {
        let a = try await SandboxServer.start(configuration: SandboxConfiguration(seed: 1))
        let b = try await SandboxServer.start(configuration: SandboxConfiguration(seed: 2))
        let pa = try await Self.client(a).queryProducts(ProductQuery(keywords: "usb cable", pageSize: 10))
        let pb = try await Self.client(b).queryProducts(ProductQuery(keywords: "usb cable", pageSize: 10))
        await a.stop()
        await b.stop()
        #expect(pa.products.map(\.productID) != pb.products.map(\.productID))
    }

    @Test func pagingEndsAtTheTotalAndNeverRepeats() async throws {
        try await withServer { server in
            let client = Self.client(server)
            let total = server.gateway.catalog.totalResults(keywords: "phone case")
            #expect(total > 0)
            var ids: [Int64] = []
            var pageNo = 1
            while true {
                let page = try await client.queryProducts(ProductQuery(keywords: "phone case", pageNo: pageNo, pageSize: 50))
                #expect(page.totalRecordCount == total)
                ids += page.products.map(\.productID)
                if page.isLastPage(pageSize: 50) { break }
                pageNo += 1
            }
            #expect(ids.count == total)
            #expect(Set(ids).count == total)
            #expect(pageNo == (total + 49) / 50)
            let past = try await client.queryProducts(ProductQuery(keywords: "phone case", pageNo: pageNo + 1, pageSize: 50))
            #expect(past.isEmpty)
        }
    }

    @Test func relatedKeywordsShareProducts() async throws {
        try await withServer { server in
            let client = Self.client(server)
            let a = try await client.queryProducts(ProductQuery(keywords: "wireless earbuds", pageSize: 50))
            let b = try await client.queryProducts(ProductQuery(keywords: "bluetooth earbuds", pageSize: 50))
            let c = try await client.queryProducts(ProductQuery(keywords: "yoga mat", pageSize: 50))
            let shared = Set(a.products.map(\.productID)).intersection(b.products.map(\.productID))
            #expect(!shared.isEmpty)
            #expect(Set(a.products.map(\.productID)) != Set(b.products.map(\.productID)))
            #expect(Set(a.products.map(\.productID)).isDisjoint(with: c.products.map(\.productID)))
            #expect(a.products.prefix(10).filter { $0.title?.localizedCaseInsensitiveContains("earbuds") == true }.count >= 5)
        }
    }

    @Test func pricesAreInTheTargetCurrency() async throws {
        try await withServer { server in
            let client = Self.client(server)
            let usd = try await client.queryProducts(ProductQuery(keywords: "smart watch", pageSize: 10))
            let eur = try await client.queryProducts(ProductQuery(keywords: "smart watch", pageSize: 10, targetCurrency: "EUR"))
            #expect(usd.products.map(\.productID) == eur.products.map(\.productID))
            for (u, e) in zip(usd.products, eur.products) {
                #expect(u.targetSalePriceCurrency?.rawValue == "USD")
                #expect(e.targetSalePriceCurrency?.rawValue == "EUR")
                let expected = Gateway.convert(usd: try #require(u.targetSalePrice), to: "EUR")
                #expect(e.targetSalePrice == expected)
                let product = try #require(server.gateway.catalog.product(id: u.productID, day: server.gateway.configuration.catalogDay(at: Date())))
                #expect(u.targetSalePrice == product.saleUSD)
                #expect(u.title == product.title)
            }
        }
    }

    @Test func sortAndPriceFilterApply() async throws {
        try await withServer { server in
            let client = Self.client(server)
            let sorted = try await client.queryProducts(ProductQuery(keywords: "usb cable", pageSize: 50, sort: .salePriceAsc))
            let prices = sorted.products.compactMap(\.targetSalePrice)
            #expect(prices == prices.sorted())
            let filtered = try await client.queryProducts(ProductQuery(keywords: "usb cable", pageSize: 50, minSalePrice: 3, maxSalePrice: 6))
            #expect(!filtered.products.isEmpty)
            #expect(filtered.products.allSatisfy { ($0.targetSalePrice ?? 0) >= 3 && ($0.targetSalePrice ?? 0) <= 6 })
            #expect((filtered.totalRecordCount ?? 0) < (sorted.totalRecordCount ?? 0))
        }
    }

    @Test func unknownWordsGiveSomeOrNoResultsButNeverFail() async throws {
        try await withServer { server in
            let client = Self.client(server)
            var empty = 0, nonEmpty = 0
            for word in ["qwzx", "blorptang", "zzkq", "fnordle", "xyzzy", "plugh", "grault", "garply", "waldo", "thud"] {
                let page = try await client.queryProducts(ProductQuery(keywords: word, pageSize: 5))
                if page.isEmpty { empty += 1 } else { nonEmpty += 1 }
                #expect(page.isEmpty == (server.gateway.catalog.totalResults(keywords: word) == 0))
            }
            #expect(empty > 0)
            #expect(nonEmpty > 0)
        }
    }

    @Test func productDetailsReturnKnownIdsOnly() async throws {
        try await withServer { server in
            let client = Self.client(server)
            let page = try await client.queryProducts(ProductQuery(keywords: "drone", pageSize: 25))
            let ids = page.products.map(\.productID)
            let details = try await client.productDetails(ids: ids + [1_005_999_999_999_999, 42], batchSize: 20)
            #expect(details.map(\.productID) == ids)
            #expect(details.map(\.title) == page.products.map(\.title))
        }
    }

    @Test func linksAreDeterministicAndDependOnTrackingAndSource() async throws {
        try await withServer { server in
            let demo = Self.client(server, trackingID: "alifeed_demo")
            let other = Self.client(server, trackingID: "default")
            let page = try await demo.queryProducts(ProductQuery(keywords: "led strip", pageSize: 50))
            let sources = page.products.map { "https://www.aliexpress.com/item/\($0.productID).html" }
            let first = try await demo.generateLinks(sources: sources)
            let again = try await demo.generateLinks(sources: sources)
            let otherTracking = try await other.generateLinks(sources: sources)
            #expect(first.links == again.links)
            #expect(first.links.values.allSatisfy { $0.hasPrefix("https://s.click.aliexpress.com/e/_") })
            #expect(Set(first.links.values).isDisjoint(with: otherTracking.links.values))
            let refused = page.products.filter { server.gateway.catalog.product(id: $0.productID, day: 0)?.linkRefused == true }
            #expect(first.missing.count == refused.count)
            // Query strings and other subdomains are echoed as sent; short links are left out.
            let variants = [
                "https://www.aliexpress.com/item/\(page.products[0].productID).html?spm=a2g0o&pdp_npi=4%40dis",
                "https://he.aliexpress.com/item/\(page.products[0].productID).html",
                "https://a.aliexpress.com/_mKqH1a",
                "https://example.com/item/1.html",
            ]
            let mixed = try await demo.generateLinks(sources: variants)
            #expect(mixed.missing.suffix(2) == variants.suffix(2))
            #expect(mixed.links[variants[0]] != nil || first.missing.contains(sources[0]))
        }
    }

    @Test func categoryTreeHasTopLevelsWithoutParentKeys() async throws {
        try await withServer { server in
            let categories = try await Self.client(server).categories()
            #expect(categories.count == server.gateway.catalog.categories.count)
            let tops = categories.filter { $0.parentID == nil }
            #expect(tops.count >= 10)
            let ids = Set(categories.map(\.id))
            #expect(categories.allSatisfy { $0.parentID.map(ids.contains) ?? true })
        }
    }

    /// Like the real ones (one search's results run from 1005001… to 1005008…), a keyword's ids
    /// are 16 digits spread over the whole range, not neighbours: a catalog is measured writing
    /// them where real ones go. Every id leads back to its product.
    @Test func idsAreSpreadLikeRealOnesAndLeadBack() throws {
        let catalog = SandboxCatalog(seed: 1)
        let ids = catalog.searchIDs(keywords: "usb cable")
        #expect(ids.count >= 40)
        #expect(ids.allSatisfy { String($0).count == 16 && String($0).hasPrefix("1005") })
        // The seventh digit (1005001… to 1005009…) takes many values within one keyword.
        #expect(Set(ids.map { String($0).dropFirst(6).first! }).count >= 8)
        #expect(Set(ids).count == ids.count)
        for id in ids { #expect(catalog.ref(for: id).map(catalog.productID) == id) }
        #expect(catalog.ref(for: ids[0] + 1) == nil)
    }

    @Test func someTitlesAreEdgeCasesForFeeds() throws {
        let catalog = SandboxCatalog(seed: 1)
        var titles: [String] = []
        for keyword in ["usb cable", "phone case", "wireless earbuds", "yoga mat", "drone", "led strip", "ring", "tent"] {
            titles += catalog.searchTitles(keywords: keyword)
        }
        #expect(titles.contains { $0.hasPrefix("=") })
        #expect(titles.contains { $0.contains("<") && $0.contains("&") })
        #expect(titles.contains { $0.contains("\n") })
        #expect(titles.contains { $0.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" } })
        #expect(titles.contains { $0.count > 300 })
        #expect(titles.contains { $0.unicodeScalars.contains { (0x0590...0x06FF).contains($0.value) } })
        #expect(titles.contains { $0.unicodeScalars.contains { $0.properties.isEmojiPresentation } })
    }
}

func withServer(_ configuration: SandboxConfiguration = SandboxConfiguration(), _ body: (SandboxServer) async throws -> Void) async throws {
    let server = try await SandboxServer.start(configuration: configuration)
    do {
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}
