import Foundation
import Pipeline
import Sandbox
import Testing

/// A run pointed (`--endpoint`) at a sandbox with a QPS limit and injected faults completes, with
/// the same outputs as a fault-free run, and never exceeds the limit.
@Suite struct FaultToleranceTests {
    @Test func runCompletesUnderFaultsAndTheQPSLimit() async throws {
        let keywords = ["smart watch", "dash cam", "tent"]
        let clean = try TempDirectory(), faulty = try TempDirectory()
        defer { clean.remove(); faulty.remove() }

        let reference = try testPipeline(clean, keywords: keywords, pages: 3, pageSize: 25, sinks: ["csv", "xml"])
        _ = try await PipelineRunner(spec: reference).run()

        let limit = 5.0
        let server = try await SandboxServer.start(configuration: SandboxConfiguration(
            seed: 1, qpsLimit: limit, faults: FaultPlan(rate: 0.3, slowDelay: .milliseconds(300)), day: 10))
        var spec = try testPipeline(faulty, keywords: keywords, pages: 3, pageSize: 25, qps: 4, sinks: ["csv", "xml"])
        spec.source.retry.maxAttempts = 10
        var options = RunOptions()
        options.endpoint = .url(server.url)
        let summary = try await PipelineRunner(spec: spec, options: options).run()
        let stats = server.gateway.statistics
        await server.stop()

        #expect(stats.faults.values.reduce(0, +) > 0, "faults were injected: \(stats.faults)")
        #expect(summary.retries > 0)
        #expect(stats.maxCallsPerSecond <= Int(limit), "the sandbox saw \(stats.maxCallsPerSecond) calls in one second")
        for file in ["t.csv", "t.xml"] {
            let a = try String(contentsOfFile: clean.path(file), encoding: .utf8)
            let b = try String(contentsOfFile: faulty.path(file), encoding: .utf8)
            #expect(withoutTimestamps(a) == withoutTimestamps(b), "\(file) differs from the fault-free run")
        }
    }
}
