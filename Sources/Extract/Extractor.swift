import Foundation
public import OpenPlatform
import Logging

/// What to fetch: every keyword, up to `pagesPerKeyword` pages of `template`'s query.
public struct PagePlan: Sendable {
    public var keywords: [String]
    public var pagesPerKeyword: Int
    /// The query every page shares; keywords and page number are filled in per page.
    public var template: ProductQuery
    /// `aliexpress.affiliate.product.query` or `hotproduct.query`.
    public var method: String

    public init(keywords: [String], pagesPerKeyword: Int, template: ProductQuery, method: String = OpenPlatformClient.productQueryMethod) {
        self.keywords = keywords
        self.pagesPerKeyword = pagesPerKeyword
        self.template = template
        self.method = method
    }

    /// The most pages the plan can fetch (each keyword may end sooner).
    public var maxPages: Int { keywords.count * pagesPerKeyword }

    public func query(keyword: String, page: Int) -> ProductQuery {
        var query = template
        query.keywords = keyword
        query.pageNo = page
        return query
    }
}

/// One fetched page and where it belongs in the output order.
public struct FetchedPage: Sendable {
    public var keywordIndex: Int
    public var keyword: String
    public var pageNo: Int
    public var page: ProductPage
    /// Read back from a checkpoint rather than fetched in this run.
    public var fromCheckpoint: Bool

    public init(keywordIndex: Int, keyword: String, pageNo: Int, page: ProductPage, fromCheckpoint: Bool = false) {
        self.keywordIndex = keywordIndex
        self.keyword = keyword
        self.pageNo = pageNo
        self.page = page
        self.fromCheckpoint = fromCheckpoint
    }
}

/// Per keyword: what the platform said and what was fetched.
public struct KeywordOutcome: Sendable, Hashable, Codable {
    public var keyword: String
    public var totalRecords: Int?
    public var pagesFetched: Int
    public var productsFetched: Int
}

/// Checkpoints: pages already fetched are taken from here instead of the network.
public protocol PageCheckpoints: Sendable {
    func checkpointedPage(keywordIndex: Int, pageNo: Int) async throws -> FetchedPage?
    func checkpoint(_ page: FetchedPage) async throws
}

/// Fetches the pages of a plan concurrently across keywords (the client's rate limiter paces
/// them), stopping each keyword at its last page and never asking for a page past it.
public struct Extractor: Sendable {
    public let client: OpenPlatformClient
    public let checkpoints: (any PageCheckpoints)?
    /// Keywords worked on at once; their pages then queue on the rate limiter.
    public let keywordConcurrency: Int

    public init(client: OpenPlatformClient, checkpoints: (any PageCheckpoints)? = nil, keywordConcurrency: Int = 8) {
        self.client = client
        self.checkpoints = checkpoints
        self.keywordConcurrency = max(1, keywordConcurrency)
    }

    /// Runs the plan; `onPage` sees every page (fetched or checkpointed) as it becomes available.
    public func run(_ plan: PagePlan, onPage: @escaping @Sendable (FetchedPage) async throws -> Void) async throws -> [KeywordOutcome] {
        try await withThrowingTaskGroup(of: (Int, KeywordOutcome).self) { group in
            var outcomes = [KeywordOutcome?](repeating: nil, count: plan.keywords.count)
            var next = 0
            func launch() {
                guard next < plan.keywords.count else { return }
                let index = next
                next += 1
                group.addTask { (index, try await fetchKeyword(index, plan: plan, onPage: onPage)) }
            }
            for _ in 0..<min(keywordConcurrency, plan.keywords.count) { launch() }
            while let (index, outcome) = try await group.next() {
                outcomes[index] = outcome
                launch()
            }
            return outcomes.compactMap { $0 }
        }
    }

    private func fetchKeyword(_ index: Int, plan: PagePlan, onPage: @escaping @Sendable (FetchedPage) async throws -> Void) async throws -> KeywordOutcome {
        let keyword = plan.keywords[index]
        let pageSize = plan.template.pageSize
        let first = try await page(index, keyword: keyword, pageNo: 1, plan: plan)
        try await onPage(first)
        var fetched = 1
        var products = first.page.productCount
        let total = first.page.totalRecordCount
        if first.page.isLastPage(pageSize: pageSize) || plan.pagesPerKeyword == 1 {
            return KeywordOutcome(keyword: keyword, totalRecords: first.page.isEmpty ? 0 : total, pagesFetched: 1, productsFetched: products)
        }
        if let total {
            // The total says where the last page is: fetch the rest at once, none past it.
            let last = min(plan.pagesPerKeyword, (total + pageSize - 1) / pageSize)
            guard last >= 2 else {
                return KeywordOutcome(keyword: keyword, totalRecords: total, pagesFetched: 1, productsFetched: products)
            }
            // Pages already checkpointed are taken here, one after the other: a task for each
            // (as for the ones to fetch) cost a hand-over between threads per page, ~6 µs each
            // on this machine, and a resumed or replayed run has thousands.
            var count = 0, found = 0
            var missing: [Int] = []
            for pageNo in 2...last {
                if let checkpoints, let stored = try await checkpoints.checkpointedPage(keywordIndex: index, pageNo: pageNo) {
                    try await onPage(stored)
                    count += 1
                    found += stored.page.productCount
                } else {
                    missing.append(pageNo)
                }
            }
            // Only the counts are kept: a page (its body and products) is let go once `onPage` has
            // seen it, instead of every page of the keyword until its last one arrives.
            (count, found) = try await withThrowingTaskGroup(of: FetchedPage.self) { [count, found] group in
                for pageNo in missing {
                    group.addTask { try await fetch(index, keyword: keyword, pageNo: pageNo, plan: plan) }
                }
                var count = count, found = found
                for try await fetchedPage in group {
                    try await onPage(fetchedPage)
                    count += 1
                    found += fetchedPage.page.productCount
                }
                return (count, found)
            }
            fetched += count
            products += found
            return KeywordOutcome(keyword: keyword, totalRecords: total, pagesFetched: fetched, productsFetched: products)
        }
        // No total: walk page by page until a short or empty page.
        var pageNo = 2
        while pageNo <= plan.pagesPerKeyword {
            let next = try await page(index, keyword: keyword, pageNo: pageNo, plan: plan)
            try await onPage(next)
            fetched += 1
            products += next.page.productCount
            if next.page.isLastPage(pageSize: pageSize) { break }
            pageNo += 1
        }
        return KeywordOutcome(keyword: keyword, totalRecords: nil, pagesFetched: fetched, productsFetched: products)
    }

    private func page(_ index: Int, keyword: String, pageNo: Int, plan: PagePlan) async throws -> FetchedPage {
        if let checkpoints, let stored = try await checkpoints.checkpointedPage(keywordIndex: index, pageNo: pageNo) {
            return stored
        }
        return try await fetch(index, keyword: keyword, pageNo: pageNo, plan: plan)
    }

    /// A page from the network, checkpointed (for one known not to be checkpointed already).
    private func fetch(_ index: Int, keyword: String, pageNo: Int, plan: PagePlan) async throws -> FetchedPage {
        let query = plan.query(keyword: keyword, page: pageNo)
        let result: ProductPage
        do {
            result = plan.method == OpenPlatformClient.hotProductQueryMethod
                ? try await client.queryHotProducts(query) : try await client.queryProducts(query)
        } catch var error as APIError {
            error.message += " (keyword '\(keyword)', page \(pageNo))"
            throw error
        }
        let fetched = FetchedPage(keywordIndex: index, keyword: keyword, pageNo: pageNo, page: result)
        try await checkpoints?.checkpoint(fetched)
        return fetched
    }
}
