import Foundation
import GRDB
import Pipeline
import Testing

/// A fresh directory under the system temp dir, removed by `remove()`.
/// One `PRAGMA`'s value on the database at `path`, read through a connection of its own.
func pragma<Value: DatabaseValueConvertible>(_ name: String, of path: String, as type: Value.Type = String.self) throws -> Value? {
    try DatabaseQueue(path: path).read { db in try Value.fetchOne(db, sql: "PRAGMA \(name)") }
}

struct TempDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("alifeed-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A pipeline file for the tests: the sandbox's demo app, a fixed sandbox day, outputs in `directory`.
/// `extra` is top-level YAML; `load`, when given, the sink entries as written (else one per kind in `sinks`).
func testPipeline(
    _ directory: TempDirectory, name: String = "t", keywords: [String], pages: Int = 2, pageSize: Int = 20,
    extra: String = "", transform: String = "", qps: Double = 200, sinks: [String] = ["sqlite", "csv", "xml"],
    day: Int = 10, load: String? = nil
) throws -> PipelineSpec {
    let load = load ?? sinks.map { kind -> String in
        let file = kind == "keyword_report" ? "\(name).keyword_report.csv" : "\(name).\(kind)"
        return "  - {type: \(kind), path: \(directory.path(file))}"
    }.joined(separator: "\n")
    let yaml = """
        name: \(name)
        source:
          endpoint: sandbox
          app_key: 500100
          app_secret: ${SECRET:-sandbox-demo-secret-0000000000000}
          tracking_id: alifeed_demo
          rate_limit: {qps: \(qps), max_in_flight: 8}
          retry: {max_attempts: 6, base_delay_ms: 10, max_delay_ms: 50}
          sandbox: {seed: 1, day: \(day)}
        extract:
          keywords: [\(keywords.joined(separator: ", "))]
          pages: \(pages)
          page_size: \(pageSize)
        \(extra)
        \(transform.isEmpty ? "" : "transform:\n" + transform)
        load:
        \(load)
        """
    switch PipelineLoader(environment: [:]).load(yaml: yaml, file: directory.path("\(name).yml")) {
    case .success(let loaded): return loaded.spec
    case .failure(let failure):
        Issue.record("invalid test pipeline: \(failure)")
        throw failure
    }
}

/// RFC 4180 reader used to read feeds back (quoted fields, doubled quotes, CRLF, embedded newlines).
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var iterator = Array(text.unicodeScalars).makeIterator()
    var pending: Unicode.Scalar? = nil
    func next() -> Unicode.Scalar? {
        if let p = pending { pending = nil; return p }
        return iterator.next()
    }
    while let c = next() {
        if quoted {
            if c == "\"" {
                if let n = next() {
                    if n == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = n }
                } else { quoted = false }
            } else { field.unicodeScalars.append(c) }
            continue
        }
        switch c {
        case "\"": quoted = true
        case ",": row.append(field); field = ""
        case "\r": continue
        case "\n": row.append(field); rows.append(row); row = []; field = ""
        default: field.unicodeScalars.append(c)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}

/// The outputs with run-specific timestamps and ids blanked, for comparing runs.
func withoutTimestamps(_ text: String) -> String {
    var out = text.replacingOccurrences(of: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z"#, with: "<time>", options: .regularExpression)
    out = out.replacingOccurrences(of: #"run="[^"]*""#, with: "run=\"<run>\"", options: .regularExpression)
    return out
}
