import Foundation
import OpenPlatform
import Pipeline
import Sandbox
import Testing

/// Random mutations of valid inputs, bounded in count, seeded so a failure can be replayed:
/// the decoders answer every one with a value or a typed error, never a crash.
@Suite struct FuzzTests {
    struct SeededRandom: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let yamlAlphabet = Array(":{}[],-#\"'\n ${}%&*!|>?@`\t0123456789abcxyz_.=~\\") + ["é", "蓝", "\u{0}", "\u{FEFF}"]

    static func mutate(_ bytes: [UInt8], _ rng: inout SeededRandom, alphabet: [UInt8]) -> [UInt8] {
        var out = bytes
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !out.isEmpty else { break }
            let i = Int.random(in: 0..<out.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: out.remove(at: i)
            case 1: out.insert(alphabet.randomElement(using: &rng)!, at: i)
            case 2: out[i] = alphabet.randomElement(using: &rng)!
            case 3: out = Array(out.prefix(i))
            case 4:
                let j = min(out.count, i + Int.random(in: 1...40, using: &rng))
                out.insert(contentsOf: out[i..<j], at: i)
            case 5:
                let j = min(out.count, i + Int.random(in: 1...40, using: &rng))
                out.removeSubrange(i..<j)
            default: out[i] = UInt8.random(in: 0...255, using: &rng)
            }
        }
        return out
    }

    @Test func pipelineDecoderNeverCrashes() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let seeds = try ["demo.yml", "dropshipping-store.yml", "affiliate-store.yml"].map {
            Array(try Data(contentsOf: root.appendingPathComponent("pipelines/\($0)")))
        }
        let alphabet = Self.yamlAlphabet.flatMap { Array(String($0).utf8) }
        var rng = SeededRandom(state: 20_261_122)
        let loader = PipelineLoader(environment: ["ALIEXPRESS_APP_SECRET": "s"], outputDirectory: FileManager.default.temporaryDirectory.path)
        var accepted = 0, rejected = 0
        let deadline = Date().addingTimeInterval(20)
        for iteration in 0..<1500 where Date() < deadline {
            let input = Self.mutate(seeds[iteration % seeds.count], &rng, alphabet: alphabet)
            let text = String(decoding: input, as: UTF8.self)
            switch loader.load(yaml: text, file: "fuzz.yml") {
            case .success: accepted += 1
            case .failure(let failure):
                rejected += 1
                #expect(!failure.errors.isEmpty, "iteration \(iteration): a failure without an error")
                #expect(failure.errors.allSatisfy { $0.line >= 1 && $0.column >= 1 && $0.file == "fuzz.yml" })
            }
        }
        #expect(rejected > 100)
        #expect(accepted > 10)
    }

    @Test func responseDecoderNeverCrashes() async throws {
        var seeds: [(String, [UInt8])] = []
        let fixtures = try #require(Bundle.module.url(forResource: "Fuzz", withExtension: nil))
        for name in try FileManager.default.contentsOfDirectory(atPath: fixtures.path).sorted() where name.hasSuffix(".json") {
            let method = name.hasPrefix("link") ? OpenPlatformClient.linkGenerateMethod
                : name.hasPrefix("category") ? OpenPlatformClient.categoryGetMethod : OpenPlatformClient.productQueryMethod
            seeds.append((method, Array(try Data(contentsOf: fixtures.appendingPathComponent(name)))))
        }
        #expect(seeds.count >= 4)
        let alphabet = Array("{}[]\":,0123456789.-%eE ntrufal\\".utf8)
        var rng = SeededRandom(state: 7)
        var decoded = 0, errors = 0
        let deadline = Date().addingTimeInterval(20)
        for iteration in 0..<3000 where Date() < deadline {
            let (method, seed) = seeds[iteration % seeds.count]
            let body = Data(Self.mutate(seed, &rng, alphabet: alphabet))
            do {
                switch method {
                case OpenPlatformClient.linkGenerateMethod: _ = try EnvelopeDecoder.decode(WireLinkResult.self, method: method, from: body)
                case OpenPlatformClient.categoryGetMethod: _ = try EnvelopeDecoder.decode(WireCategoryResult.self, method: method, from: body)
                default: _ = try EnvelopeDecoder.decode(WireProductResult.self, method: method, from: body)
                }
                decoded += 1
            } catch is DecodingError {
                errors += 1
            } catch {
                Issue.record("iteration \(iteration): \(type(of: error)) is not a DecodingError: \(error)")
            }
        }
        #expect(errors > 100)
        #expect(decoded > 10)
    }

    @Test func malformedPageNamesMethodKeywordPageAndRequestID() async throws {
        // The first call gets a body cut short; no retries, so the error surfaces as is.
        let server = try await SandboxServer.start(configuration: SandboxConfiguration(
            seed: 1, faults: FaultPlan(scripted: [1: .malformedBody]), day: 10))
        let directory = try TempDirectory()
        defer { directory.remove() }
        var spec = try testPipeline(directory, keywords: ["yoga mat"], pages: 1, sinks: ["csv"])
        spec.source.retry = .none
        var options = RunOptions()
        options.endpoint = .url(server.url)
        do {
            _ = try await PipelineRunner(spec: spec, options: options).run()
            Issue.record("a malformed body was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("malformedResponse"))
            #expect(text.contains("aliexpress.affiliate.product.query"))
            #expect(text.contains("keyword 'yoga mat', page 1"))
        }
        await server.stop()
        // With the request id when the body has one: a truncated envelope still names it.
        let truncated = Data(#"{"aliexpress_affiliate_product_query_response":{"request_id":"212a6b7f17902659669484789","resp_result":{"resp_co"#.utf8)
        #expect(throws: DecodingError.self) { try EnvelopeDecoder.decode(WireProductResult.self, method: "aliexpress.affiliate.product.query", from: truncated) }
    }
}
