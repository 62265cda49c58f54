import ArgumentParser
import Foundation

@main
struct Alifeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alifeed",
        abstract: "Turn the AliExpress Open Platform into product catalogs and storefront feeds.",
        discussion: "Exit codes: 0 success, 1 run failed (previous outputs untouched), 2 invalid pipeline or usage, 75 stopped by the daily quota (resumable), 130 interrupted (resumable).",
        subcommands: [
            RunCommand.self, ValidateCommand.self, SearchCommand.self, LinksCommand.self, CategoriesCommand.self, PricesCommand.self,
            SandboxCommand.self, SignCommand.self,
        ])

    /// Maps errors to the documented exit codes: usage and validation problems are 2.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            if let exitCode = error as? ExitCode {
                Foundation.exit(exitCode.rawValue)
            }
            if error is ValidationError || code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            FileHandle.standardError.write(Data(("error: " + fullMessage(for: error) + "\n").utf8))
            Foundation.exit(1)
        }
    }
}

/// The exit codes `run` and `validate` document.
enum Exit {
    static let runFailed = ExitCode(1)
    static let invalid = ExitCode(2)
    /// Stopped by the daily call quota or budget; the next run resumes (EX_TEMPFAIL).
    static let quota = ExitCode(75)
    /// Interrupted by a signal; the next run resumes.
    static let interrupted = ExitCode(130)
}
