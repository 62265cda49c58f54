import Foundation
import GRDB
import OpenPlatform
import Pipeline
import Sandbox
import Synchronization
import Testing

/// Interrupted runs resume from their checkpoints: nothing checkpointed is fetched again and the
/// outputs are byte-identical to an uninterrupted run.
@Suite struct ResumeTests {
    static let fixed = Date(timeIntervalSince1970: 1_795_000_000)

    static func options(_ server: SandboxServer, notices: Notices? = nil) -> RunOptions {
        var options = RunOptions(now: { fixed })
        options.endpoint = .url(server.url)
        options.deterministicRunID = true
        if let notices { options.notice = { notices.append($0) } }
        return options
    }

    static func spec(_ directory: TempDirectory, keywords: [String] = ["smart watch", "drone", "tent", "ring"], budget: Int? = nil) throws -> PipelineSpec {
        var spec = try testPipeline(directory, name: "r", keywords: keywords, pages: 3, pageSize: 30, qps: 40, sinks: ["csv", "xml", "sqlite"])
        spec.source.rateLimit.maxInFlight = 2
        spec.source.dailyBudget = budget
        return spec
    }

    static func pagesCheckpointed(_ directory: TempDirectory) -> Int {
        guard let queue = try? DatabaseQueue(path: directory.path(".state/r.pages.sqlite")) else { return 0 }
        return (try? queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pages") ?? 0 }) ?? 0
    }

    static func linksCheckpointed(_ directory: TempDirectory) -> Int {
        guard let queue = try? DatabaseQueue(path: directory.path(".state/r.sqlite")) else { return 0 }
        return (try? queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM links") ?? 0 }) ?? 0
    }

    /// Runs the pipeline and cancels it once `condition` holds.
    static func interrupt(_ spec: PipelineSpec, _ options: RunOptions, when condition: @escaping @Sendable () -> Bool) async throws -> RunInterrupted {
        let task = Task { try await PipelineRunner(spec: spec, options: options).run() }
        for _ in 0..<2000 {
            if condition() { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        task.cancel()
        switch await task.result {
        case .success: throw CancellationError()  // finished before the interruption: the test is void
        case .failure(let error as RunInterrupted): return error
        case .failure(let error): throw error
        }
    }

    static func outputs(_ directory: TempDirectory) throws -> [Data] {
        try ["r.csv", "r.xml"].map { try Data(contentsOf: URL(fileURLWithPath: directory.path($0))) }
    }

    @Test(arguments: [3, 8])
    func interruptedDuringExtractResumesWithoutRefetching(afterPages: Int) async throws {
        let server = try await SandboxServer.start(configuration: SandboxConfiguration(seed: 1, latency: .milliseconds(40), day: 10))
        let reference = try TempDirectory(), resumed = try TempDirectory()
        defer { reference.remove(); resumed.remove() }
        _ = try await PipelineRunner(spec: try Self.spec(reference), options: Self.options(server)).run()

        let spec = try Self.spec(resumed)
        let stop = try await Self.interrupt(spec, Self.options(server)) { Self.pagesCheckpointed(resumed) >= afterPages }
        #expect(stop.reason == .cancelled)
        #expect(stop.pagesCheckpointed >= afterPages)
        #expect(!FileManager.default.fileExists(atPath: resumed.path("r.csv")), "nothing was published")

        let notices = Notices()
        let summary = try await PipelineRunner(spec: spec, options: Self.options(server, notices: notices)).run()
        await server.stop()
        #expect(notices.all.contains { $0.hasPrefix("resuming run") })
        #expect(summary.pagesFromCheckpoint >= afterPages)
        #expect(try Self.outputs(resumed) == Self.outputs(reference), "byte-identical to the uninterrupted run")
        let state = try DatabaseQueue(path: resumed.path(".state/r.sqlite"))
        let refetched = try await state.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM fetch_log WHERE already_checkpointed > 0")!
        }
        #expect(refetched == 0, "no checkpointed page was fetched again")
        let leftPages = try await DatabaseQueue(path: resumed.path(".state/r.pages.sqlite")).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM pages")!
        }
        #expect(leftPages == 0, "the finished run's pages are cleared")
    }

    /// A reference run, and a run of the same pipeline interrupted after 6 pages, for tests that
    /// change the interrupted run's state before resuming it.
    static func interruptedAfterSixPages() async throws -> (SandboxServer, TempDirectory, TempDirectory, PipelineSpec) {
        let server = try await SandboxServer.start(configuration: SandboxConfiguration(seed: 1, latency: .milliseconds(40), day: 10))
        let reference = try TempDirectory(), resumed = try TempDirectory()
        _ = try await PipelineRunner(spec: try Self.spec(reference), options: Self.options(server)).run()
        let spec = try Self.spec(resumed)
        _ = try await Self.interrupt(spec, Self.options(server)) { Self.pagesCheckpointed(resumed) >= 6 }
        return (server, reference, resumed, spec)
    }

    /// Pages checkpointed by an older alifeed have no paging summary: they are decoded instead,
    /// and the resumed run still fetches nothing twice and publishes the same bytes.
    @Test func pagesWithoutASummaryAreDecodedOnResume() async throws {
        let (server, reference, resumed, spec) = try await Self.interruptedAfterSixPages()
        defer { reference.remove(); resumed.remove() }
        let cleared = try await DatabaseQueue(path: resumed.path(".state/r.pages.sqlite")).write { db in
            try db.execute(sql: "DELETE FROM page_summaries")
            return db.changesCount
        }
        let state = try DatabaseQueue(path: resumed.path(".state/r.sqlite"))
        #expect(cleared >= 6)
        let summary = try await PipelineRunner(spec: spec, options: Self.options(server)).run()
        await server.stop()
        #expect(summary.pagesFromCheckpoint >= 6)
        #expect(try Self.outputs(resumed) == Self.outputs(reference))
        let refetched = try await state.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM fetch_log WHERE already_checkpointed > 0")! }
        #expect(refetched == 0)
    }

    /// A state file from before the pages file (state-v2: pages inside the state file): its
    /// pages move to the pages file on open, and the resumed run still fetches nothing twice.
    @Test func pagesInAnOlderStateFileMoveToThePagesFile() async throws {
        let (server, reference, resumed, spec) = try await Self.interruptedAfterSixPages()
        defer { reference.remove(); resumed.remove() }
        // Put the pages back where state-v2 kept them, as if this alifeed had never run here.
        let pagesFile = resumed.path(".state/r.pages.sqlite")
        let moved = try await DatabaseQueue(path: resumed.path(".state/r.sqlite")).writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS old", arguments: [pagesFile])
            try db.execute(sql: """
                CREATE TABLE main.pages (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE, keyword_index INTEGER NOT NULL,
                    keyword TEXT NOT NULL, page_no INTEGER NOT NULL, method TEXT NOT NULL, body BLOB NOT NULL,
                    request_id TEXT, fetched_at TEXT NOT NULL, PRIMARY KEY (run_id, keyword_index, page_no)) STRICT;
                CREATE TABLE main.page_summaries AS SELECT * FROM old.page_summaries;
                INSERT INTO main.pages SELECT * FROM old.pages;
                DELETE FROM grdb_migrations WHERE identifier = 'state-v3';
                """)
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM main.pages") ?? 0
            try db.execute(sql: "DETACH DATABASE old")
            return count
        }
        #expect(moved >= 6)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: pagesFile + suffix) }

        let summary = try await PipelineRunner(spec: spec, options: Self.options(server)).run()
        await server.stop()
        #expect(summary.pagesFromCheckpoint >= moved)
        #expect(try Self.outputs(resumed) == Self.outputs(reference))
        let state = try DatabaseQueue(path: resumed.path(".state/r.sqlite"))
        let (refetched, oldTables) = try await state.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM fetch_log WHERE already_checkpointed > 0")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name IN ('pages', 'page_summaries')")!)
        }
        #expect(refetched == 0)
        #expect(oldTables == 0, "the state file no longer holds pages")
    }

    @Test func interruptedDuringLinkGenerationKeepsTheLinksMade() async throws {
        let server = try await SandboxServer.start(configuration: SandboxConfiguration(seed: 1, latency: .milliseconds(60), day: 10))
        let reference = try TempDirectory(), resumed = try TempDirectory()
        defer { reference.remove(); resumed.remove() }
        var spec = try Self.spec(resumed)
        spec.transform.links.batchSize = 10
        var referenceSpec = try Self.spec(reference)
        referenceSpec.transform.links.batchSize = 10
        _ = try await PipelineRunner(spec: referenceSpec, options: Self.options(server)).run()
        let stop = try await Self.interrupt(spec, Self.options(server)) { Self.linksCheckpointed(resumed) >= 20 }
        #expect(stop.reason == .cancelled)
        let kept = Self.linksCheckpointed(resumed)
        #expect(kept >= 20)
        let calls = server.gateway.statistics.served[OpenPlatformClient.linkGenerateMethod] ?? 0
        let summary = try await PipelineRunner(spec: spec, options: Self.options(server)).run()
        let after = server.gateway.statistics.served[OpenPlatformClient.linkGenerateMethod] ?? 0
        await server.stop()
        // The resumed run asked only for the links it did not have.
        let batches = (summary.products - kept + 9) / 10
        #expect(after - calls <= batches)
        #expect(summary.pagesFromCheckpoint == summary.pages, "every page came from the checkpoint")
        #expect(try Self.outputs(resumed) == Self.outputs(reference))
        #expect(Self.linksCheckpointed(resumed) == 0 && Self.linksCheckpointed(reference) == 0, "a finished run's links are deleted")
    }

    @Test func changedSpecStartsFreshAndSaysSo() async throws {
        let server = try await SandboxServer.start(configuration: SandboxConfiguration(seed: 1, latency: .milliseconds(40), day: 10))
        let directory = try TempDirectory()
        defer { directory.remove() }
        _ = try await Self.interrupt(try Self.spec(directory), Self.options(server)) { Self.pagesCheckpointed(directory) >= 2 }
        let notices = Notices()
        let changed = try Self.spec(directory, keywords: ["smart watch", "drone"])
        let summary = try await PipelineRunner(spec: changed, options: Self.options(server, notices: notices)).run()
        await server.stop()
        #expect(notices.all.contains { $0.contains("changed") && $0.contains("starting fresh") })
        #expect(summary.pagesFromCheckpoint == 0)
    }

    @Test func freshDiscardsTheInterruptedRun() async throws {
        let server = try await SandboxServer.start(configuration: SandboxConfiguration(seed: 1, latency: .milliseconds(40), day: 10))
        let directory = try TempDirectory()
        defer { directory.remove() }
        let spec = try Self.spec(directory)
        _ = try await Self.interrupt(spec, Self.options(server)) { Self.pagesCheckpointed(directory) >= 2 }
        var options = Self.options(server)
        options.fresh = true
        let summary = try await PipelineRunner(spec: spec, options: options).run()
        await server.stop()
        #expect(summary.pagesFromCheckpoint == 0)
    }

    @Test func budgetRefusesAPlanThatDoesNotFitUnlessPartial() async throws {
        let server = try await SandboxServer.start(configuration: SandboxConfiguration(seed: 1, day: 10))
        let directory = try TempDirectory()
        defer { directory.remove() }
        let tight = try Self.spec(directory, budget: 6)
        await #expect(throws: RunInterrupted.self) { _ = try await PipelineRunner(spec: tight, options: Self.options(server)).run() }
        #expect(server.gateway.statistics.requests == 0, "refused before calling")

        var partial = Self.options(server)
        partial.partial = true
        do {
            _ = try await PipelineRunner(spec: tight, options: partial).run()
            Issue.record("the run went past its budget")
        } catch let stop as RunInterrupted {
            #expect(stop.reason == .quota)
            #expect(stop.description.contains("daily budget of 6 calls"))
        }
        #expect(server.gateway.statistics.requests == 6, "exactly the budget was spent")
        // A bigger budget (tomorrow's, in effect) resumes the same run.
        let roomy = try Self.spec(directory, budget: 1000)
        let summary = try await PipelineRunner(spec: roomy, options: Self.options(server)).run()
        await server.stop()
        #expect(summary.pagesFromCheckpoint == 6)
    }

    @Test func gatewayQuotaStopsCleanlyAndResumes() async throws {
        let server = try await SandboxServer.start(configuration: SandboxConfiguration(seed: 1, dailyQuota: 5, day: 10))
        let directory = try TempDirectory()
        defer { directory.remove() }
        let spec = try Self.spec(directory)
        do {
            _ = try await PipelineRunner(spec: spec, options: Self.options(server)).run()
            Issue.record("the run went past the gateway's quota")
        } catch let stop as RunInterrupted {
            #expect(stop.reason == .quota)
            #expect(stop.pagesCheckpointed == 5)
        }
        await server.stop()
        let next = try await SandboxServer.start(configuration: SandboxConfiguration(seed: 1, day: 10))
        let summary = try await PipelineRunner(spec: spec, options: Self.options(next)).run()
        await next.stop()
        #expect(summary.pagesFromCheckpoint == 5)
    }
}

final class Notices: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
