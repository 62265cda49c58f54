import Foundation
import Pipeline
import Testing

/// `alifeed validate`: every problem in one pass, as `file:line:column: error: path: message`.
@Suite struct ValidationTests {
    static func golden(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: "Golden/\(name)", withExtension: nil))
    }

    static func messages(_ yaml: String, environment: [String: String] = [:]) -> [String] {
        switch PipelineLoader(environment: environment).load(yaml: yaml, file: "p.yml") {
        case .success(let loaded): return loaded.warnings.map(\.description)
        case .failure(let failure): return failure.diagnostics.map(\.description)
        }
    }

    @Test func everyProblemIsReportedWithItsLine() throws {
        let file = try Self.golden("invalid.yml")
        let expected = try String(contentsOf: try Self.golden("invalid.expected"), encoding: .utf8)
        let result = PipelineLoader(environment: [:]).load(file: file.path)
        guard case .failure(let failure) = result else {
            Issue.record("the invalid pipeline was accepted")
            return
        }
        let text = failure.diagnostics.map(\.description).joined(separator: "\n")
            .replacingOccurrences(of: file.path, with: "invalid.yml")
        #expect(text + "\n" == expected)
    }

    @Test func unknownKeySuggestsTheClosest() {
        let messages = Self.messages("""
            source: {app_key: k, app_secret: s, tracking_id: t}
            extract: {keywords: [x], page_sise: 10}
            load: [{type: csv, path: /tmp/alifeed-validation-test.csv}]
            """)
        #expect(messages.contains("p.yml:2:26: error: extract.page_sise: unknown key 'page_sise'; did you mean 'page_size'?"))
    }

    @Test func missingRequiredSectionsAreNamed() {
        let messages = Self.messages("name: x\n")
        #expect(messages.contains { $0.contains("source: missing required field 'source'") })
        #expect(messages.contains { $0.contains("extract: missing required field 'extract'") })
        #expect(messages.contains { $0.contains("load: missing required field 'load'") })
    }

    @Test func yamlSyntaxErrorHasALine() {
        let messages = Self.messages("source:\n  app_key: [unclosed\nextract: {}\n")
        #expect(messages.count == 1)
        #expect(messages[0].hasPrefix("p.yml:3:"))
        #expect(messages[0].contains("not valid YAML"))
    }

    @Test func environmentValuesAndDefaultsAreResolved() throws {
        let yaml = """
            source:
              app_key: ${KEY}
              app_secret: ${SECRET}
              tracking_id: ${TRACK:-fallback}
            extract:
              keywords: [x]
              pages: ${PAGES:-3}
            load: [{type: csv, path: /tmp/alifeed-env-test.csv}]
            """
        let loaded = try PipelineLoader(environment: ["KEY": "k1", "SECRET": "s1"]).load(yaml: yaml, file: "p.yml").get()
        #expect(loaded.spec.source.appKey == "k1")
        #expect(loaded.spec.source.appSecret.reveal() == "s1")
        #expect(loaded.spec.source.trackingID == "fallback")
        #expect(loaded.spec.extract.pages == 3)
        #expect(loaded.warnings.isEmpty)
        let unset = Self.messages(yaml, environment: ["KEY": "k1"])
        #expect(unset == ["p.yml:3:15: error: source.app_secret: environment variable SECRET is not set (export it, or write ${SECRET:-default})"])
    }

    @Test func literalSecretIsAWarningNotAnError() throws {
        let yaml = """
            source: {app_key: k, app_secret: literal, tracking_id: t}
            extract: {keywords: [x]}
            load: [{type: csv, path: /tmp/alifeed-literal-test.csv}]
            """
        let loaded = try PipelineLoader(environment: [:]).load(yaml: yaml, file: "p.yml").get()
        #expect(loaded.warnings.map(\.description) == [
            "p.yml:1:34: warning: source.app_secret: the secret is written in the file; take it from the environment: ${ALIEXPRESS_APP_SECRET}"
        ])
        #expect(!loaded.warnings.description.contains("literal"))
    }

    @Test func keywordsFileIsReadRelativeToThePipeline() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alifeed-kw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "# research list\nusb cable\n\n  phone case  # cases\nUSB cable\n#done\n".write(
            to: directory.appendingPathComponent("k.txt"), atomically: true, encoding: .utf8)
        let pipeline = directory.appendingPathComponent("p.yml")
        try """
            source: {app_key: k, app_secret: "${S:-x}", tracking_id: t}
            extract: {keywords: [drone], keywords_file: k.txt}
            load: [{type: csv, path: \(directory.path)/o.csv}]
            """.write(to: pipeline, atomically: true, encoding: .utf8)
        let loaded = try PipelineLoader(environment: [:]).load(file: pipeline.path).get()
        #expect(loaded.spec.extract.keywords == ["drone", "usb cable", "phone case"])
    }

    @Test func examplePipelinesAreValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let directory = root.appendingPathComponent("pipelines")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yml") }.sorted()
        #expect(files.count >= 3)
        for file in files {
            let result = PipelineLoader(environment: [:], outputDirectory: FileManager.default.temporaryDirectory.path)
                .load(file: directory.appendingPathComponent(file).path)
            if case .failure(let failure) = result { Issue.record("\(file): \(failure)") }
        }
    }
}
