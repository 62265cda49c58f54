import ArgumentParser
import Catalog
import Foundation
import OpenPlatform
import Pipeline

/// Options every one-off command shares: where the gateway configuration comes from.
struct SourceOptions: ParsableArguments {
    @Option(help: "Take source (endpoint, keys, tracking id) from this pipeline file; default: ALIEXPRESS_* variables, else the sandbox.")
    var pipeline: String?

    func open() async throws -> SourceContext {
        do {
            return try await SourceContext.open(pipeline: pipeline)
        } catch let failure as PipelineValidationError {
            FileHandle.standardError.write(Data("\(failure)\n".utf8))
            throw Exit.invalid
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw Exit.runFailed
        }
    }
}

/// Runs `body`, closing the context, and maps gateway errors to exit code 1 with their message.
func withSource<T>(_ options: SourceOptions, _ body: (SourceContext) async throws -> T) async throws -> T {
    let context = try await options.open()
    do {
        let result = try await body(context)
        await context.close()
        return result
    } catch let error as ExitCode {
        await context.close()
        throw error
    } catch {
        await context.close()
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw Exit.runFailed
    }
}

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Look up products for keywords, with fresh affiliate links.",
        discussion: "Example: alifeed search 'wireless earbuds' 'usb cable' --pages 1 --sort LAST_VOLUME_DESC")

    @Argument(help: "Keywords (quote multi-word ones).") var keywords: [String]
    @Option(help: "Pages per keyword.") var pages: Int = 1
    @Option(help: "Products per page, 1...50.") var pageSize: Int = 20
    @Option(help: "SALE_PRICE_ASC, SALE_PRICE_DESC, LAST_VOLUME_ASC, LAST_VOLUME_DESC, DISCOUNT_ASC, DISCOUNT_DESC.") var sort: String?
    @Option(help: "Target currency, e.g. USD or EUR.") var currency: String = "USD"
    @Option(help: "table (default on a terminal), csv or json.") var format: OutputFormat?
    @OptionGroup var source: SourceOptions

    func validate() throws {
        guard !keywords.isEmpty else { throw ValidationError("give at least one keyword") }
        guard (1...100).contains(pages) else { throw ValidationError("--pages must be 1...100") }
        guard (1...50).contains(pageSize) else { throw ValidationError("--page-size must be 1...50") }
        if let sort, ProductSort(rawValue: sort.uppercased()) == nil {
            throw ValidationError("--sort must be one of \(ProductSort.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let products = try await withSource(source) { context in
            try await context.search(
                keywords: keywords, pages: pages, pageSize: pageSize, sort: sort.flatMap { ProductSort(rawValue: $0.uppercased()) },
                currency: currency.uppercased())
        }
        let rows = products.map { p in
            [String(p.id), p.salePrice.formatted(), p.salePrice.currency.rawValue, p.volume30d.map(String.init) ?? "",
             p.rating.map { DecimalText.format($0.points, scale: 1) } ?? "", p.commission.rate.map { DecimalText.format($0.points, scale: 1) } ?? "",
             p.keywords.joined(separator: "|"), p.affiliateLink?.url ?? "", TitleCleaner.clean(p.title)]
        }
        try Output.emit(
            header: ["product_id", "price", "currency", "volume_30d", "rating", "commission", "keywords", "affiliate_url", "title"],
            rows: rows, format: format ?? .automatic, rightAligned: [1, 3, 4, 5])
    }
}

struct LinksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "links", abstract: "Turn AliExpress product URLs into affiliate links.",
        discussion: """
            Accepts item URLs in their common forms (query strings, mobile and country hosts, /i/ID.html, \
            ?productId=ID) and bare ids; reports what is not a product URL and what the platform refused.
            Example: alifeed links 'https://he.aliexpress.com/item/1005006338829917.html?spm=x' --format csv --output links.csv
            """)

    @Argument(help: "Product URLs or ids.") var urls: [String] = []
    @Option(help: "Read URLs from this file, one per line (# comments).") var file: String?
    @Option(help: "0 normal (standard commission) or 2 hot (hot-product commission).") var linkType: Int = 0
    @Option(help: "table (default on a terminal), csv or json.") var format: OutputFormat?
    @Option(help: "Write the result here (atomically) instead of to standard output.") var output: String?
    @OptionGroup var source: SourceOptions

    func validate() throws {
        guard !urls.isEmpty || file != nil else { throw ValidationError("give URLs, or --file FILE") }
        guard PromotionLinkType(rawValue: linkType) != nil else { throw ValidationError("--link-type must be 0 or 2") }
    }

    func run() async throws {
        var inputs = urls
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ValidationError("cannot read \(file)") }
            inputs += KeywordFile.parse(text)
        }
        let result = try await withSource(source) { try await $0.convert(urls: inputs, type: PromotionLinkType(rawValue: linkType)!) }
        var rows = result.converted.map {
            [$0.input, $0.canonical, String($0.productID), $0.affiliateURL ?? "", $0.affiliateURL == nil ? "refused by the platform (not in the affiliate program, or unavailable)" : "ok"]
        }
        rows += result.rejected.map { [$0.input, "", "", "", "rejected: \($0.reason)"] }
        try Output.emit(
            header: ["input", "canonical_url", "product_id", "affiliate_url", "status"], rows: rows,
            format: format ?? (output == nil ? .automatic : .csv), to: output)
        let refused = result.refused.count, rejected = result.rejected.count
        FileHandle.standardError.write(Data("links: \(result.converted.count - refused) converted, \(refused) refused by the platform, \(rejected) not product URLs\n".utf8))
        for rejection in result.rejected { FileHandle.standardError.write(Data("  \(rejection)\n".utf8)) }
        if result.converted.count - refused == 0 { throw Exit.runFailed }
    }
}

struct CategoriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "categories", abstract: "Print the category tree, to pick extract.category_ids.")

    @Option(help: "table (default on a terminal), csv or json.") var format: OutputFormat?
    @OptionGroup var source: SourceOptions

    func run() async throws {
        let tree = try await withSource(source) { try await $0.categoryTree() }
        let output = format ?? .automatic
        let rows = tree.map { entry in
            [String(entry.category.id), output == .table ? String(repeating: "  ", count: entry.depth) + entry.category.name : entry.category.name,
             entry.category.parentID.map(String.init) ?? "", String(entry.depth + 1)]
        }
        try Output.emit(header: ["category_id", "name", "parent_id", "level"], rows: rows, format: output, rightAligned: [0])
    }
}
