import ArgumentParser
import Foundation
import OpenPlatform

struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Show the string that is signed and the signature for a parameter set.",
        discussion: """
            Reach for this on an IncompleteSignature error: compare its signed string with your client's.
            The secret is read from an environment variable, never from the command line, and is shown
            masked. Example:
              ALIEXPRESS_APP_SECRET=... alifeed sign --sign-method md5 app_key=12345678 \\
                method=aliexpress.affiliate.product.query timestamp=1700000000000 keywords='wireless earbuds'
            """)

    @Option(help: "sha256 (default), md5 or hmac.") var signMethod: String = "sha256"
    @Option(help: "Environment variable holding the app secret.") var secretEnv: String = "ALIEXPRESS_APP_SECRET"
    @Option(help: "API path to prefix, for system APIs such as /auth/token/create.") var apiPath: String?
    @Argument(help: "Parameters as key=value, exactly as they are sent (sign_method is added if missing).")
    var parameters: [String] = []

    func run() throws {
        guard let method = SignMethod(rawValue: signMethod) else {
            throw ValidationError("--sign-method must be sha256, md5 or hmac")
        }
        guard let secret = ProcessInfo.processInfo.environment[secretEnv], !secret.isEmpty else {
            throw ValidationError("the environment variable \(secretEnv) is not set: export the app secret there")
        }
        var params: [String: String] = [:]
        for item in parameters {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ValidationError("'\(item)' is not key=value")
            }
            params[String(item[..<eq])] = String(item[item.index(after: eq)...])
        }
        print(Signer(method: method).report(params, secret: Secret(secret), apiPath: apiPath))
    }
}
