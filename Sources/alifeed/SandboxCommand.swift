import ArgumentParser
import Foundation
import Logging
import Sandbox

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the Open Platform emulator on 127.0.0.1 until Ctrl-C.",
        discussion: "Point a pipeline at it with `alifeed run FILE --endpoint URL`, or any client at URL/sync.")

    @Option(help: "Port to listen on (0 picks a free one).") var port: Int = 8765
    @Option(help: "Calls per second allowed per app key; more get ApiCallLimit bans.") var qps: Double?
    @Option(help: "Length of a rate-limit ban in seconds.") var banSeconds: Int = 1
    @Option(help: "Calls allowed per app key per day (resets at 24:00 GMT+8).") var dailyQuota: Int?
    @Option(help: "Fraction of calls (0...1) that get an injected fault.") var faultRate: Double = 0
    @Option(help: "Faults to inject, comma-separated: 500,truncated,malformed,slow,ban.") var faults: String = "500,truncated,malformed,slow,ban"
    @Option(help: "Delay of a slow answer, in milliseconds.") var slowMs: Int = 1500
    @Option(help: "Latency added to every answer, in milliseconds.") var latencyMs: Int = 0
    @Option(help: "Seed of the generated catalog.") var seed: UInt64 = 1
    @Option(help: "Catalog day for prices (default: follows the clock).") var day: Int?
    @Option(help: "Another app the sandbox accepts, as KEY:SECRET or KEY:SECRET:TRACKING_ID (repeatable).") var app: [String] = []

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard (0...1).contains(faultRate) else { throw ValidationError("--fault-rate must be between 0 and 1") }
        if let qps, qps <= 0 { throw ValidationError("--qps must be positive") }
        _ = try faultKinds()
        _ = try extraApps()
    }

    func extraApps() throws -> [SandboxApp] {
        try app.map { text in
            let parts = text.split(separator: ":", maxSplits: 2).map(String.init)
            guard parts.count >= 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--app takes KEY:SECRET or KEY:SECRET:TRACKING_ID")
            }
            return SandboxApp(appKey: parts[0], appSecret: parts[1], trackingIDs: [parts.count > 2 ? parts[2] : "default", "default"])
        }
    }

    func faultKinds() throws -> [FaultKind] {
        try faults.split(separator: ",").map { name in
            guard let kind = FaultKind(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown fault '\(name)'; use \(FaultKind.allCases.map(\.rawValue).joined(separator: ","))")
            }
            return kind
        }
    }

    func run() async throws {
        let configuration = SandboxConfiguration(
            seed: seed, apps: [.demo, .limited] + (try extraApps()), qpsLimit: qps, banSeconds: banSeconds, dailyQuota: dailyQuota,
            faults: FaultPlan(rate: faultRate, kinds: try faultKinds(), slowDelay: .milliseconds(slowMs)),
            latency: .milliseconds(latencyMs), day: day)
        var logger = Logger(label: "alifeed.sandbox")
        logger.logLevel = .warning
        let demo = SandboxApp.demo
        try await SandboxServer.runForever(configuration: configuration, port: port, logger: logger) { bound in
            FileHandle.standardOutput.write(Data("""
                alifeed sandbox listening on http://127.0.0.1:\(bound)  (gateway: http://127.0.0.1:\(bound)/sync)
                demo credentials:
                  ALIEXPRESS_APP_KEY=\(demo.appKey)
                  ALIEXPRESS_APP_SECRET=\(demo.appSecret)
                  ALIEXPRESS_TRACKING_ID=\(demo.trackingIDs.sorted().first!)
                limits: qps \(qps.map { String($0) } ?? "none"), daily quota \(dailyQuota.map(String.init) ?? "none"), fault rate \(faultRate)
                stats: http://127.0.0.1:\(bound)/sandbox/stats   (Ctrl-C to stop)

                """.utf8))
        }
    }
}
