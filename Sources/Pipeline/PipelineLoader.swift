public import Foundation
import OpenPlatform
import Yams

/// Reads a pipeline file into a ``PipelineSpec``, reporting every problem in one pass with its
/// file, line, column and field path.
public struct PipelineLoader: Sendable {
    public var environment: [String: String]
    /// Rebases relative sink paths (`alifeed run --output-dir`).
    public var outputDirectory: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, outputDirectory: String? = nil) {
        self.environment = environment
        self.outputDirectory = outputDirectory
    }

    /// The spec, or every diagnostic found. Warnings alone do not fail.
    public func load(file path: String) -> Result<(spec: PipelineSpec, warnings: [Diagnostic]), PipelineValidationError> {
        let url = URL(fileURLWithPath: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(PipelineValidationError(diagnostics: [
                Diagnostic(file: path, line: 1, column: 1, path: "", message: "cannot read the pipeline file (does it exist?)")
            ]))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(PipelineValidationError(diagnostics: [
                Diagnostic(file: path, line: 1, column: 1, path: "", message: "the file is not UTF-8 text")
            ]))
        }
        return load(yaml: text, file: path, url: url)
    }

    public func load(yaml text: String, file: String, url: URL? = nil) -> Result<(spec: PipelineSpec, warnings: [Diagnostic]), PipelineValidationError> {
        let reader = SpecReader(file: file, environment: environment)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return .failure(PipelineValidationError(diagnostics: [reader.diagnostic(for: error)]))
        } catch {
            return .failure(PipelineValidationError(diagnostics: [
                Diagnostic(file: file, line: 1, column: 1, path: "", message: "not valid YAML: \(error)")
            ]))
        }
        guard let node else {
            return .failure(PipelineValidationError(diagnostics: [
                Diagnostic(file: file, line: 1, column: 1, path: "", message: "the file is empty; a pipeline needs source, extract and load")
            ]))
        }
        let fileURL = url ?? URL(fileURLWithPath: file)
        let spec = reader.readSpec(node, fileURL: fileURL, outputDirectory: outputDirectory)
        let diagnostics = reader.diagnostics.enumerated().sorted {
            ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
        }.map(\.element)
        if let spec, !diagnostics.contains(where: { $0.severity == .error }) {
            return .success((spec, diagnostics))
        }
        return .failure(PipelineValidationError(diagnostics: diagnostics))
    }
}

/// Walks the YAML node tree; collects diagnostics instead of stopping at the first.
final class SpecReader {
    let file: String
    let environment: [String: String]
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, environment: [String: String]) {
        self.file = file
        self.environment = environment
    }

    func diagnostic(for error: YamlError) -> Diagnostic {
        var line = 1, column = 1
        var message = "\(error)"
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            line = mark.line
            column = mark.column
            message = problem
        case .composer(_, let problem, let mark, _):
            line = mark.line
            column = mark.column
            message = problem
        default: break
        }
        return Diagnostic(file: file, line: line, column: column, path: "", message: "not valid YAML: \(message)")
    }

    func error(_ node: Node?, _ path: String, _ message: String) {
        let mark = node?.mark
        diagnostics.append(Diagnostic(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, path: path, message: message))
    }

    func warning(_ node: Node?, _ path: String, _ message: String) {
        let mark = node?.mark
        diagnostics.append(Diagnostic(.warning, file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, path: path, message: message))
    }

    // MARK: structure

    /// The mapping's entries by key; unknown keys are reported with a suggestion.
    func mapping(_ node: Node?, _ path: String, allowed: [String]) -> [String: Node]? {
        guard let node else { return nil }
        guard case .mapping(let mapping) = node else {
            error(node, path, "expected a mapping with keys \(allowed.joined(separator: ", ")), got \(Self.kind(of: node))")
            return nil
        }
        var entries: [String: Node] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                error(key, path, "keys must be plain names")
                continue
            }
            let name = scalar.string
            let child = path.isEmpty ? name : "\(path).\(name)"
            guard allowed.contains(name) else {
                var message = "unknown key '\(name)'"
                if let suggestion = Self.suggestion(for: name, among: allowed) { message += "; did you mean '\(suggestion)'?" }
                else { message += "; expected one of \(allowed.joined(separator: ", "))" }
                error(key, child, message)
                continue
            }
            if entries[name] != nil { error(key, child, "duplicate key '\(name)'") }
            entries[name] = value
        }
        return entries
    }

    func required(_ entries: [String: Node], _ key: String, in node: Node?, _ path: String) -> Node? {
        if let value = entries[key], !Self.isNull(value) { return value }
        error(node, path.isEmpty ? key : "\(path).\(key)", "missing required field '\(key)'")
        return nil
    }

    // MARK: scalars

    /// The scalar's text with `${ENV}` resolved; `nil` (reported) for non-scalars and unset variables.
    func string(_ node: Node?, _ path: String) -> String? {
        guard let node, !Self.isNull(node) else { return nil }
        guard case .scalar(let scalar) = node else {
            error(node, path, "expected a single value, got \(Self.kind(of: node))")
            return nil
        }
        switch Interpolation.resolve(scalar.string, environment: environment) {
        case .success(let resolved): return resolved.value
        case .failure(.unset(let name)):
            error(node, path, "environment variable \(name) is not set (export it, or write ${\(name):-default})")
            return nil
        case .failure(.malformed):
            error(node, path, "malformed ${…} reference; write ${NAME} or ${NAME:-default}")
            return nil
        }
    }

    /// Whether the scalar's text takes its value from the environment.
    func usesEnvironment(_ node: Node?) -> Bool {
        if case .scalar(let scalar)? = node { return scalar.string.contains("${") }
        return false
    }

    func int(_ node: Node?, _ path: String, range: ClosedRange<Int>) -> Int? {
        guard let text = string(node, path) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            error(node, path, "expected a whole number, got '\(text)'")
            return nil
        }
        guard range.contains(value) else {
            if range.upperBound == Int.max { error(node, path, "must be \(range.lowerBound) or more, got \(value)") }
            else { error(node, path, "\(value) is out of range \(range.lowerBound)...\(range.upperBound)") }
            return nil
        }
        return value
    }

    func double(_ node: Node?, _ path: String, range: ClosedRange<Double>) -> Double? {
        guard let text = string(node, path) else { return nil }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            error(node, path, "expected a number, got '\(text)'")
            return nil
        }
        guard range.contains(value) else {
            error(node, path, "\(text) is out of range \(Self.format(range.lowerBound))...\(Self.format(range.upperBound))")
            return nil
        }
        return value
    }

    /// A decimal amount or percentage (`10`, `12.5`, `12.5%`); never through floating point.
    func decimal(_ node: Node?, _ path: String, allowPercent: Bool = false, minimum: Decimal = 0) -> Decimal? {
        guard var text = string(node, path)?.trimmingCharacters(in: .whitespaces) else { return nil }
        if allowPercent, text.hasSuffix("%") { text = String(text.dropLast()).trimmingCharacters(in: .whitespaces) }
        guard text.range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil,
            let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
        else {
            error(node, path, "expected a decimal number such as 12.50, got '\(text)'")
            return nil
        }
        guard value >= minimum else {
            error(node, path, "must be at least \(minimum)")
            return nil
        }
        return value
    }

    func bool(_ node: Node?, _ path: String) -> Bool? {
        guard let text = string(node, path) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error(node, path, "expected true or false, got '\(text)'")
            return nil
        }
    }

    func choice<T>(_ node: Node?, _ path: String, _ options: [(String, T)]) -> T? {
        guard let text = string(node, path) else { return nil }
        if let match = options.first(where: { $0.0.caseInsensitiveCompare(text) == .orderedSame }) { return match.1 }
        var message = "'\(text)' is not one of \(options.map(\.0).joined(separator: ", "))"
        if let suggestion = Self.suggestion(for: text, among: options.map(\.0)) { message += "; did you mean '\(suggestion)'?" }
        error(node, path, message)
        return nil
    }

    /// A list of scalars; a single scalar is taken as a one-element list.
    func stringList(_ node: Node?, _ path: String) -> [String]? {
        guard let node, !Self.isNull(node) else { return nil }
        switch node {
        case .sequence(let sequence):
            return sequence.enumerated().compactMap { index, item in string(item, "\(path)[\(index)]") }
        case .scalar:
            return string(node, path).map { [$0] }
        default:
            error(node, path, "expected a list, got \(Self.kind(of: node))")
            return nil
        }
    }

    // MARK: helpers

    static func isNull(_ node: Node) -> Bool {
        if case .scalar(let scalar) = node { return scalar.tag == Tag(.null) || (scalar.string.isEmpty && scalar.style == .plain) || scalar.string == "~" }
        return false
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .scalar(let scalar): "the value '\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// The closest allowed name within an edit distance of 2 (or sharing a long prefix).
    static func suggestion(for name: String, among options: [String]) -> String? {
        let lowered = name.lowercased()
        let scored = options.map { ($0, distance(lowered, $0.lowercased())) }.sorted { $0.1 < $1.1 }
        guard let best = scored.first else { return nil }
        if best.1 <= max(2, name.count / 4) { return best.0 }
        if let prefixed = options.first(where: { $0.hasPrefix(lowered) || lowered.hasPrefix($0) }), lowered.count >= 4 { return prefixed }
        return nil
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
