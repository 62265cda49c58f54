import Foundation
import Pipeline
import Sandbox

/// Peak memory of a whole run against the sandbox (extract with checkpoints, links, transform,
/// sqlite + shopify + google sinks), measured in a child process so each size starts clean.
enum MemoryBench {
    static func run(targets: [Int], work: URL) async throws -> [Figure] {
        var configuration = SandboxConfiguration(seed: 1, day: 10)
        configuration.resultRange = 11_000...11_000
        configuration.poolSize = 20_000
        let server = try await SandboxServer.start(configuration: configuration)
        var peaks: [(Int, Double, String)] = []
        for target in targets {
            let directory = work.appendingPathComponent("memory-\(target)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
            process.arguments = ["--child-memory", server.url.absoluteString, String(target), directory.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0, let line = output.split(separator: "\n").last(where: { $0.hasPrefix("peak ") }) else {
                throw RunFailure(message: "the \(target)-product memory run failed: \(output.suffix(400))")
            }
            let parts = line.split(separator: " ")
            peaks.append((target, Double(parts[1])!, parts.dropFirst(2).joined(separator: " ")))
            try? FileManager.default.removeItem(at: directory)
        }
        await server.stop()
        var figures = peaks.map { target, peak, detail in
            Figure(name: "peak RSS, \(target / 1000)k products", value: peak, unit: "MB",
                   target: target >= 1_000_000 ? "≤ 150 MB" : nil, met: target >= 1_000_000 ? peak <= 150 : nil, detail: detail)
        }
        if peaks.count == 2 {
            let growth = peaks[1].1 / peaks[0].1
            figures.append(Figure(name: "peak RSS growth \(peaks[0].0 / 1000)k → \(peaks[1].0 / 1000)k", value: growth, unit: "×",
                                  target: "< 1.5", met: growth < 1.5, detail: "streaming, not buffering"))
        }
        return figures
    }

    /// The child: one whole run, then its own peak RSS on a line `peak <MB> <detail>`.
    static func child(endpoint: String, target: Int, work: String) async throws {
        let directory = URL(fileURLWithPath: work)
        let pages = 50
        // Nouns and their variants ("… pro", "… kit"): each variant is its own slice of products.
        let variants = benchKeywords + ["pro", "kit", "mini", "for kids", "set", "plus", "max", "lite"].flatMap { m in benchKeywords.map { "\($0) \(m)" } }
        let keywords = Array(variants.prefix(max(1, (target + pages * 50 - 1) / (pages * 50))))
        let perKeyword = max(1, min(pages, target / (keywords.count * 50)))
        let spec = try benchSpec(
            name: "memory", keywords: keywords, pages: perKeyword, qps: 1000, inFlight: 16, links: true,
            sinks: [
                "{type: sqlite, path: DIR/memory.sqlite}", "{type: csv, profile: shopify, path: DIR/memory-shopify.csv}",
                "{type: xml, profile: google-merchant, path: DIR/memory-google.xml}",
            ], work: directory)
        var options = RunOptions()
        options.endpoint = .url(URL(string: endpoint)!)
        let start = Clock.now()
        let summary = try await PipelineRunner(spec: spec, options: options).run()
        print(String(format: "peak %.1f %d rows (%d distinct), %d API calls, %.1f s", Clock.peakRSSMB(), summary.productsFetched,
                     summary.products, summary.apiCalls, Clock.now() - start))
    }
}
