import ArgumentParser
import Catalog
import Foundation
import GRDB
import Load
import OpenPlatform
import Pipeline
import Sandbox
import Transform

/// `swift run -c release alifeed-bench [--quick] [--only floor|cpu|memory|writers] [--json FILE]`
///
/// Prints three figures as a table and as JSON: the rate-limit floor, CPU per product (from
/// checkpointed pages, no network) against a bare SQLite insert loop, and peak memory at 100k and
/// 1M products. Timings are printed, never asserted.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alifeed-bench",
        abstract: "Measure the rate-limit floor, CPU per product and peak memory; print a table and JSON.")

    enum Figures: String, ExpressibleByArgument, CaseIterable {
        case floor, cpu, memory, writers
    }

    enum Writer: String, ExpressibleByArgument, CaseIterable {
        case sqlite, shopify, google
    }

    @Flag(help: "Smaller sizes (20k products for CPU, 20k and 100k for memory).") var quick = false
    @Option(help: "One figure only; `writers`: each writer alone over products in memory, for profiling.") var only: Figures?
    @Option(help: "Also write the JSON to this file.") var json: String?
    @Option(help: "With --only cpu: only these replays, e.g. 0,2 (0 = end to end, 1–3 = one sink, 4 = end to end on the next night).")
    var replay: String?
    @Option(help: "Keep the CPU figure's prepared pages in this directory and reuse them next time.") var keep: String?
    @Option(help: "Runs of each CPU replay (taking turns); each figure is the median run.") var `repeat` = 3
    @Option(help: "With --only writers: one writer.") var writer: Writer?
    @Option(parsing: .upToNextOption, help: .hidden) var childMemory: [String] = []

    func validate() throws {
        if let replay, replay.split(separator: ",").contains(where: { Int($0).map { !(0...4).contains($0) } ?? true }) {
            throw ValidationError("--replay takes numbers from 0 to 4, comma-separated, e.g. 0,2")
        }
        if writer != nil, only != .writers { throw ValidationError("--writer goes with --only writers") }
        if `repeat` < 1 { throw ValidationError("--repeat takes a count of 1 or more") }
    }

    func run() async throws {
        if !childMemory.isEmpty {
            // The memory figure's child process: `--child-memory ENDPOINT TARGET WORK`.
            guard childMemory.count == 3, let target = Int(childMemory[1]) else { throw ValidationError("--child-memory takes ENDPOINT TARGET WORK") }
            try await MemoryBench.child(endpoint: childMemory[0], target: target, work: childMemory[2])
            return
        }
        var results: [Figure] = []
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("alifeed-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        if only == nil || only == .floor { results += try await FloorBench.run(quick: quick, work: work) }
        if only == nil || only == .cpu {
            let replays = replay.map { $0.split(separator: ",").compactMap { Int($0) } }
            results += try await CPUBench.run(products: quick ? 20_000 : 100_000, work: work, sinkSets: replays, keep: keep, repeats: `repeat`)
        }
        if only == .writers {
            results += try CPUBench.writers(products: quick ? 20_000 : 100_000, work: work, keep: keep, only: writer?.rawValue)
        }
        if only == nil || only == .memory { results += try await MemoryBench.run(targets: quick ? [20_000, 100_000] : [100_000, 1_000_000], work: work) }
        print(Figure.table(results))
        let text = Figure.json(results)
        print(text)
        if let json { try text.write(toFile: json, atomically: true, encoding: .utf8) }
    }
}

/// One measured figure, with its target when there is one.
struct Figure: Codable {
    var name: String
    var value: Double
    var unit: String
    var target: String?
    var met: Bool?
    var detail: String

    static func table(_ figures: [Figure]) -> String {
        var lines = ["", "figure                                      value          target        met   detail", String(repeating: "-", count: 110)]
        for f in figures {
            let value = f.value >= 100 ? String(format: "%.0f %@", f.value, f.unit) : String(format: "%.3f %@", f.value, f.unit)
            lines.append(
                f.name.padding(toLength: 44, withPad: " ", startingAt: 0) + value.padding(toLength: 15, withPad: " ", startingAt: 0)
                    + (f.target ?? "").padding(toLength: 14, withPad: " ", startingAt: 0) + (f.met.map { $0 ? "yes" : "NO" } ?? "").padding(toLength: 6, withPad: " ", startingAt: 0)
                    + f.detail)
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ figures: [Figure]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(["figures": figures])) ?? Data(), as: UTF8.self)
    }
}

enum Clock {
    static func now() -> Double { Date().timeIntervalSince1970 }

    /// User + system CPU seconds of this process.
    static func cpu() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Peak resident memory of this process (VmHWM), in MB.
    static func peakRSSMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return Double(line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0) / 1024
    }
}

/// A pipeline file for the benchmarks, loaded the way `alifeed run` loads one.
func benchSpec(name: String, keywords: [String], pages: Int, qps: Double, inFlight: Int, links: Bool, sinks: [String], work: URL) throws -> PipelineSpec {
    let load = sinks.map { "  - \($0.replacingOccurrences(of: "DIR", with: work.path))" }.joined(separator: "\n")
    let yaml = """
        name: \(name)
        source:
          endpoint: sandbox
          app_key: 500100
          app_secret: ${S:-sandbox-demo-secret-0000000000000}
          tracking_id: alifeed_demo
          rate_limit: {qps: \(qps), max_in_flight: \(inFlight)}
          retry: {max_attempts: 5, base_delay_ms: 100, max_delay_ms: 1000}
        extract:
          keywords: [\(keywords.joined(separator: ", "))]
          pages: \(pages)
          page_size: 50
        transform:
          affiliate_links: {enabled: \(links), batch_size: 50}
        load:
        \(load)
        """
    switch PipelineLoader(environment: [:]).load(yaml: yaml, file: work.appendingPathComponent("\(name).yml").path) {
    case .success(let loaded): return loaded.spec
    case .failure(let failure): throw failure
    }
}

/// Every vocabulary noun of the sandbox, as keywords.
let benchKeywords = [
    "usb cable", "type c cable", "hdmi cable", "usb hub", "charger", "power bank", "wireless earbuds", "headphones", "earphones",
    "gaming headset", "smart watch", "fitness tracker", "smart ring", "bluetooth speaker", "microphone", "projector", "phone case",
    "screen protector", "phone holder", "phone stand", "phone battery", "camera lens protector", "mechanical keyboard", "wireless mouse",
    "mouse pad", "webcam", "usb flash drive", "ssd", "sd card", "hard drive enclosure", "label printer", "laser pointer", "coffee grinder",
    "knife set", "water bottle", "silicone spatula", "cable organizer", "storage bag", "drawer organizer", "storage box", "solar light",
    "plant pot", "garden hose", "watch band", "watch strap", "watch winder", "mechanical watch", "quartz watch", "dive watch", "yoga mat",
    "resistance band", "jump rope", "bike light", "cycling gloves", "bike lock", "camping lantern", "tent", "sleeping bag",
    "hiking backpack", "building blocks", "puzzle", "rc car", "drone", "rc boat", "lipstick", "makeup brush", "eyeliner", "hair clipper",
    "hair dryer", "hair straightener", "nail polish", "nail drill", "uv nail lamp", "dash cam", "car charger", "tire inflator",
    "car seat cover", "car phone mount", "steering wheel cover", "led strip", "smart bulb", "night light", "screwdriver set", "multimeter",
    "soldering iron", "cordless drill", "dog collar", "dog leash", "dog harness", "cat toy", "cat scratcher", "pet fountain", "necklace",
    "pendant", "choker", "ring", "couple rings",
]
