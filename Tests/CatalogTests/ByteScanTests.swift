import Testing
@testable import Catalog

/// The eight-bytes-at-a-time tests against plain byte comparisons: every byte value in every lane,
/// and first-index searches over buffers of every length up to 40.
@Suite struct ByteScanTests {
    static func word(_ byte: UInt8, lane: Int, filler: UInt8) -> UInt64 {
        var bytes = [UInt8](repeating: filler, count: 8)
        bytes[lane] = byte
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    @Test(arguments: [UInt8(0x61), 0x20, 0x00, 0xFF])
    func wordTestsAreExact(filler: UInt8) {
        for target in [UInt8(0x00), 0x0A, 0x22, 0x2C, 0x5C, 0x7F, 0x80] {
            for byte in UInt8.min...UInt8.max {
                for lane in 0..<8 {
                    let word = Self.word(byte, lane: lane, filler: filler)
                    #expect(ByteScan.has(word, target) == (byte == target || filler == target), "\(byte) in lane \(lane) for \(target)")
                }
            }
        }
        for bound in [UInt8(0x01), 0x20, 0x21, 0x80] {
            for byte in UInt8.min...UInt8.max {
                let word = Self.word(byte, lane: Int(byte) % 8, filler: filler)
                #expect(ByteScan.hasBelow(word, bound) == (byte < bound || filler < bound), "\(byte) below \(bound)")
                #expect(ByteScan.hasHigh(word) == (byte >= 0x80 || filler >= 0x80))
            }
        }
    }

    @Test func firstIndexFindsTheFirstSpecialByte() {
        var state: UInt64 = 17
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let alphabet: [UInt8] = [0x61, 0x62, 0x20, 0x22, 0x5C, 0x0A, 0x7F, 0xC3, 0xA9]
        for length in 0...40 {
            for _ in 0..<200 {
                let bytes = (0..<length).map { _ in next() % 6 == 0 ? alphabet[next() % alphabet.count] : 0x61 }
                let start = length == 0 ? 0 : next() % (length + 1)
                bytes.withUnsafeBufferPointer { buffer in
                    let quoteOrEscape = ByteScan.firstIndex(
                        in: buffer, from: start, wordMayHold: { ByteScan.has($0, 0x22) || ByteScan.has($0, 0x5C) }, isSpecial: { $0 == 0x22 || $0 == 0x5C })
                    #expect(quoteOrEscape == bytes.indices.dropFirst(start).first { bytes[$0] == 0x22 || bytes[$0] == 0x5C }, "\(bytes) from \(start)")
                    #expect(ByteScan.isPrintableASCII(buffer) == bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }, "\(bytes)")
                }
            }
        }
    }
}
