import Foundation
@testable import Load
import Testing

/// A feed file is written in chunks (full ones straight to the disk where the file system takes
/// it, the last through the page cache) and published by rename: whatever the sizes of the
/// pieces handed to it, the published file holds exactly those bytes, in order.
@Suite struct AtomicFileTests {
    /// Bytes mixed from their position (no period), so a chunk written twice, dropped or out of
    /// place shows.
    static func pattern(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { index in
            var x = UInt64(index) &+ UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
            x = (x ^ (x >> 29)) &* 0xBF58_476D_1CE4_E5B9
            return UInt8(truncatingIfNeeded: x ^ (x >> 32))
        }
    }

    /// Through `O_DIRECT` where the file system takes it, and through the page cache as on one
    /// that refuses it.
    @Test(arguments: [true, false])
    func piecesOfEverySizeArrivePublishedInOrder(directWrites: Bool) throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let target = URL(fileURLWithPath: directory.path("feed.csv"))
        try Data("the old feed\n".utf8).write(to: target)
        let file = try AtomicFile(target: target, directWrites: directWrites)
        var expected: [UInt8] = []
        // Small rows (some across a chunk's end), a piece that ends exactly on a chunk's end, one
        // larger than two chunks, text and data, and a last partial chunk.
        for row in 0..<40_000 {
            let bytes = Self.pattern(17 + row % 53, seed: row)
            try file.write(bytes: bytes)
            expected += bytes
        }
        let toChunkEnd = Self.pattern((1 << 20) - expected.count % (1 << 20), seed: 7)
        try file.write(bytes: toChunkEnd)
        expected += toChunkEnd
        let large = Self.pattern(5 * (1 << 19) + 11, seed: 9)
        try file.write(Data(large))
        expected += large
        try file.write("a last row, é and ✓\n")
        expected += Array("a last row, é and ✓\n".utf8)
        #expect(file.bytesWritten == expected.count)
        #expect(try Data(contentsOf: target) == Data("the old feed\n".utf8), "nothing is published before the commit")
        try file.commit()
        #expect(try Data(contentsOf: target) == Data(expected))
        #expect(!FileManager.default.fileExists(atPath: file.temporary.path))
        if !directWrites { #expect(file.directChunks == 0) }
        #if os(Linux)
        // Whether the chunks went direct depends on the file system; the bytes must not.
        if directWrites { print("AtomicFileTests: \(file.directChunks) of \(expected.count >> 20) full chunks written directly") }
        #endif
    }

    @Test func aFileSmallerThanAChunkIsWrittenWhole() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let target = URL(fileURLWithPath: directory.path("report.json"))
        let file = try AtomicFile(target: target)
        try file.write("{\"rows\": 3}\n")
        try file.commit()
        #expect(try String(contentsOf: target, encoding: .utf8) == "{\"rows\": 3}\n")
        #expect(file.directChunks == 0)
    }

    @Test func aDiscardedFileLeavesTheTargetAlone() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let target = URL(fileURLWithPath: directory.path("feed.xml"))
        try Data("old".utf8).write(to: target)
        let file = try AtomicFile(target: target)
        try file.write(bytes: Self.pattern(3 << 20, seed: 1))
        file.discard()
        #expect(try Data(contentsOf: target) == Data("old".utf8))
        #expect(!FileManager.default.fileExists(atPath: file.temporary.path))
    }
}
