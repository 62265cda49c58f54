import ArgumentParser
import Foundation
import Logging
import Pipeline

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline file: extract → transform → load.",
        discussion: """
            Validates first. An interrupted run (Ctrl-C, SIGTERM, a crash, the daily quota) is resumed by the next \
            run of the same pipeline file: pages already fetched are not fetched again.
            Exit codes: 0 success, 1 run failed (previous outputs untouched), 2 invalid pipeline, \
            75 stopped by the daily call quota (resumable), 130 interrupted (resumable).
            SOURCE_DATE_EPOCH, when set, fixes the run's timestamps and id for reproducible outputs.
            """)

    @Argument(help: "The pipeline file (YAML).") var file: String
    @Option(help: "Use this gateway instead of source.endpoint: a URL, or 'sandbox'.") var endpoint: String?
    @Option(help: "Write relative sink paths into this directory.") var outputDir: String?
    @Flag(help: "Validate and print the plan; call nothing.") var dryRun = false
    @Flag(name: .shortAndLong, help: "No progress output.") var quiet = false
    @Flag(name: .shortAndLong, help: "Log retries and bans.") var verbose = false
    @Flag(help: "Discard an interrupted run of this pipeline instead of resuming it.") var fresh = false
    @Flag(help: "Start even when the plan does not fit today's call budget; stop cleanly when it runs out.") var partial = false

    func run() async throws {
        var endpointOverride: PipelineSpec.Endpoint?
        if let endpoint {
            guard let parsed = PipelineEndpoint.parse(endpoint) else {
                throw ValidationError("--endpoint must be 'sandbox' or an http(s) URL, got '\(endpoint)'")
            }
            endpointOverride = parsed
        }
        let spec = try loadOrExit(file, outputDirectory: outputDir)
        var logger = Logger(label: "alifeed") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .info : .error
        var options = RunOptions(endpoint: endpointOverride, progress: .automatic(quiet: quiet), logger: logger)
        options.fresh = fresh
        options.partial = partial
        let environment = ProcessInfo.processInfo.environment
        if let epoch = environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init) {
            let fixed = Date(timeIntervalSince1970: epoch)
            options.now = { fixed }
            options.deterministicRunID = true
        }
        if let pause = environment["ALIFEED_PAUSE_BEFORE_PUBLISH_MS"].flatMap(Int.init) {
            options.pauseBeforePublish = .milliseconds(pause)
        }
        options.notice = { FileHandle.standardError.write(Data("alifeed: \($0)\n".utf8)) }
        let runner = PipelineRunner(spec: spec, options: options)
        if dryRun {
            print(runner.plan)
            return
        }
        let task = Task { try await runner.run() }
        let signals = SignalWatch { signal, repeated in
            if repeated { _exit(130) }
            FileHandle.standardError.write(Data("\nalifeed: \(signal == SIGTERM ? "SIGTERM" : "Ctrl-C"): stopping; pages fetched so far are kept (again to quit now)\n".utf8))
            task.cancel()
        }
        let result = await task.result
        signals.stop()
        switch result {
        case .success(let summary):
            print(summary.text)
            print("  summary: \(runner.summaryURL.path)")
        case .failure(let error as RunInterrupted):
            FileHandle.standardError.write(Data("alifeed: \(error)\n  resume with: alifeed run \(file)\n".utf8))
            throw error.reason == .quota ? Exit.quota : Exit.interrupted
        case .failure(let error):
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw Exit.runFailed
        }
    }
}

/// SIGINT and SIGTERM delivered to a handler instead of killing the process.
final class SignalWatch: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var seen = false

    init(handler: @escaping @Sendable (Int32, Bool) -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.lock()
                let repeated = self.seen
                self.seen = true
                self.lock.unlock()
                handler(number, repeated)
            }
            source.resume()
            sources.append(source)
        }
    }

    func stop() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a pipeline file and report every problem with file:line:column.",
        discussion: "Exit codes: 0 valid, 2 invalid.")

    @Argument(help: "The pipeline file (YAML).") var file: String

    func run() throws {
        let spec = try loadOrExit(file, outputDirectory: nil)
        print("\(file): ok (\(spec.extract.keywords.count) keywords, \(spec.load.count) sinks, endpoint \(spec.source.endpoint))")
    }
}

/// Loads a pipeline, printing warnings; on errors prints them all and exits 2.
func loadOrExit(_ file: String, outputDirectory: String?) throws -> PipelineSpec {
    switch PipelineLoader(outputDirectory: outputDirectory).load(file: file) {
    case .success(let loaded):
        for warning in loaded.warnings { FileHandle.standardError.write(Data("\(warning)\n".utf8)) }
        return loaded.spec
    case .failure(let failure):
        FileHandle.standardError.write(Data("\(failure)\n".utf8))
        let count = failure.errors.count
        FileHandle.standardError.write(Data("\(count) error\(count == 1 ? "" : "s") in \(file)\n".utf8))
        throw Exit.invalid
    }
}
