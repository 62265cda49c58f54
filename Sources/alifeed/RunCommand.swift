import ArgumentParser
import Foundation
import Logging
import Pipeline

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline file: extract → transform → load.",
        discussion: "Validates first. Exit codes: 0 success, 1 run failed (previous outputs untouched), 2 invalid pipeline.")

    @Argument(help: "The pipeline file (YAML).") var file: String
    @Option(help: "Use this gateway instead of source.endpoint: a URL, or 'sandbox'.") var endpoint: String?
    @Option(help: "Write relative sink paths into this directory.") var outputDir: String?
    @Flag(help: "Validate and print the plan; call nothing.") var dryRun = false
    @Flag(name: .shortAndLong, help: "No progress output.") var quiet = false
    @Flag(name: .shortAndLong, help: "Log retries and bans.") var verbose = false

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
        let runner = PipelineRunner(
            spec: spec, options: RunOptions(endpoint: endpointOverride, progress: .automatic(quiet: quiet), logger: logger))
        if dryRun {
            print(runner.plan)
            return
        }
        do {
            let summary = try await runner.run()
            print(summary.text)
            print("  summary: \(runner.summaryURL.path)")
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw Exit.runFailed
        }
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
