/// A problem in a pipeline file, with where it is: rendered `file:line:column: error: path: message`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Error {
    public enum Severity: String, Sendable { case error, warning }

    public var severity: Severity
    public var file: String
    public var line: Int
    public var column: Int
    /// The field, dotted: `extract.page_size`, `load[1].path`.
    public var path: String
    public var message: String

    public init(_ severity: Severity = .error, file: String, line: Int, column: Int, path: String, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    public var description: String {
        "\(file):\(line):\(column): \(severity.rawValue): \(path.isEmpty ? "" : "\(path): ")\(message)"
    }
}

/// Every problem of a pipeline file, found in one pass.
public struct PipelineValidationError: Error, CustomStringConvertible, Sendable {
    public var diagnostics: [Diagnostic]

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
