import Foundation
import OpenPlatform
import Sandbox
import Synchronization
import Testing

/// Cancelling requests in flight (Ctrl-C, an interrupted run) ends them, and never hangs: with
/// URLSession's async API a cancellation racing a finishing request could deadlock.
@Suite struct TransportCancellationTests {
    @Test func cancellingRequestsInFlightNeverHangs() async throws {
        try await withSandbox(SandboxConfiguration(seed: 1, latency: .milliseconds(8))) { server in
            let transport = URLSessionTransport(timeout: .seconds(5))
            let request = HTTPRequest(url: server.url.appendingPathComponent("sync"), body: Data("app_key=500100".utf8))
            let ended = Counter()
            for round in 0..<60 {
                // Several requests at once, cancelled around the moment the answers come back.
                let group = Task {
                    try await withThrowingTaskGroup(of: Void.self) { tasks in
                        for _ in 0..<6 { tasks.addTask { _ = try await transport.send(request) } }
                        try await tasks.waitForAll()
                    }
                }
                try await Task.sleep(for: .milliseconds(4 + round % 9))
                group.cancel()
                // Waited for apart, so a hang shows as a round that does not end within seconds.
                Task {
                    _ = await group.result
                    ended.add()
                }
                for _ in 0..<500 where ended.value <= round { try await Task.sleep(for: .milliseconds(10)) }
                try #require(ended.value == round + 1, "round \(round) did not end after its cancellation")
            }
            // And the transport still works after all that.
            let answer = try await transport.send(request)
            #expect(answer.status == 200)
        }
    }
}

final class Counter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
