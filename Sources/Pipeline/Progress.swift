import Foundation
import Synchronization

/// Progress on stderr while a run works: a redrawn bar with counts and ETA on a terminal, plain
/// lines every few seconds otherwise (logs, CI), nothing when quiet.
public final class ProgressReporter: Sendable {
    public enum Style: Sendable { case bar, lines, quiet }

    private struct State {
        var phase = "extract"
        var done = 0
        var total = 0
        var products = 0
        var started = Date()
        var lastDraw = Date.distantPast
        var drewBar = false
    }

    private let style: Style
    private let state = Mutex(State())
    private let write: @Sendable (String) -> Void

    public init(style: Style, write: (@Sendable (String) -> Void)? = nil) {
        self.style = style
        self.write = write ?? { FileHandle.standardError.write(Data($0.utf8)) }
    }

    /// A bar on a terminal, lines when stderr is a file or pipe.
    public static func automatic(quiet: Bool) -> ProgressReporter {
        if quiet { return ProgressReporter(style: .quiet) }
        return ProgressReporter(style: isatty(2) == 1 ? .bar : .lines)
    }

    public func begin(_ phase: String, total: Int) {
        let line = state.withLock { s -> String? in
            s.phase = phase
            s.done = 0
            s.total = total
            s.started = Date()
            s.lastDraw = .distantPast
            return style == .lines ? "\(phase): starting, \(total) to do\n" : nil
        }
        if let line { write(line) }
        advance(by: 0)
    }

    public func advance(by count: Int = 1, products: Int = 0) {
        let text = state.withLock { s -> String? in
            s.done += count
            s.products += products
            let now = Date()
            let interval: TimeInterval = style == .bar ? 0.1 : 5
            guard style != .quiet, now.timeIntervalSince(s.lastDraw) >= interval || s.done == s.total else { return nil }
            s.lastDraw = now
            let elapsed = now.timeIntervalSince(s.started)
            let eta = s.done > 0 && s.total > s.done ? elapsed / Double(s.done) * Double(s.total - s.done) : 0
            let counts = "\(s.done)/\(s.total) \(s.phase == "extract" ? "pages" : "items") · \(s.products) products · ETA \(Int(eta.rounded())) s"
            if style == .bar {
                let width = 24
                let filled = s.total > 0 ? min(width, s.done * width / s.total) : 0
                s.drewBar = true
                return "\r\u{1B}[2K\(s.phase) [\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] \(counts)"
            }
            return "\(s.phase): \(counts)\n"
        }
        if let text { write(text) }
    }

    /// Ends the bar's line so the summary starts on a fresh one.
    public func finish() {
        let needsNewline = state.withLock { s -> Bool in
            defer { s.drewBar = false }
            return s.drewBar
        }
        if needsNewline { write("\n") }
    }
}
