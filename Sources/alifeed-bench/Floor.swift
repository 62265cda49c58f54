import Foundation
import Pipeline
import Sandbox

/// How close a run gets to the gateway's rate limit: wall time ÷ (calls ÷ Q), against a sandbox
/// answering every call after a fixed latency and banning callers above Q calls per second.
enum FloorBench {
    static func run(quick: Bool, work: URL) async throws -> [Figure] {
        let q = 10.0
        let latency = 0.1
        var configuration = SandboxConfiguration(seed: 1, qpsLimit: q, latency: .milliseconds(Int(latency * 1000)), day: 10)
        configuration.resultRange = 200...200
        let server = try await SandboxServer.start(configuration: configuration)
        // Just under the limit (the gateway counts arrivals, which jitter), and enough calls in
        // flight to cover the latency: Q × latency, doubled, plus one.
        let inFlight = Int((q * latency * 2).rounded(.up)) + 1
        let keywords = Array(benchKeywords.prefix(quick ? 4 : 10))
        let spec = try benchSpec(
            name: "floor", keywords: keywords, pages: 4, qps: q * 0.95, inFlight: inFlight, links: true,
            sinks: ["{type: csv, path: DIR/floor.csv}"], work: work)
        var options = RunOptions()
        options.endpoint = .url(server.url)
        options.stateDirectory = work.appendingPathComponent("floor-state").path
        let summary = try await PipelineRunner(spec: spec, options: options).run()
        let stats = server.gateway.statistics
        await server.stop()
        let ideal = Double(summary.apiCalls) / q
        let ratio = summary.durationSeconds / ideal
        return [Figure(
            name: "rate-limit floor (wall / (calls / Q))", value: ratio, unit: "×", target: "≤ 1.10", met: ratio <= 1.10,
            detail: String(format: "%d calls in %.2f s at Q=%.0f, latency %.0f ms; ideal %.2f s; bans %d; max %d calls/s seen",
                           summary.apiCalls, summary.durationSeconds, q, latency * 1000, ideal, summary.bans, stats.maxCallsPerSecond))]
    }
}
