import Testing
import Catalog

/// The sixteen-bytes-at-a-time scans against the classes' byte-by-byte definitions: every byte
/// value at every position of buffers around the block size, and random text of every length up
/// to 80 from every start.
@Suite struct ByteScanTests {
    private func reference(_ bytes: [UInt8], from start: Int, _ byteClass: ByteScan.ByteClass) -> Int? {
        bytes.indices.dropFirst(start).first { byteClass.contains(bytes[$0]) }
    }

    @Test(arguments: ByteScan.ByteClass.allCases)
    func everyByteAtEveryPosition(byteClass: ByteScan.ByteClass) {
        for length in [1, 2, 4, 5, 15, 16, 17, 31, 32, 33, 47] {
            for position in 0..<length {
                for value in UInt8.min...UInt8.max {
                    var bytes = [UInt8](repeating: 0x61, count: length)
                    bytes[position] = value
                    for start in Set([0, position, min(position + 1, length)]) {
                        let found = bytes.withUnsafeBufferPointer { ByteScan.firstIndex(in: $0, from: start, of: byteClass) }
                        #expect(found == reference(bytes, from: start, byteClass), "\(value) at \(position) of \(length), from \(start)")
                    }
                }
            }
        }
    }

    @Test(arguments: ByteScan.ByteClass.allCases)
    func randomText(byteClass: ByteScan.ByteClass) {
        var state: UInt64 = 17
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let alphabet: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x21, 0x22, 0x26, 0x27, 0x2C, 0x3C, 0x3E, 0x5C, 0x7E, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]
        for length in 0...80 {
            for _ in 0..<40 {
                let bytes = (0..<length).map { _ in next() % 8 == 0 ? alphabet[next() % alphabet.count] : UInt8(0x30 + next() % 0x40) }
                for start in 0...length {
                    let found = bytes.withUnsafeBufferPointer { ByteScan.firstIndex(in: $0, from: start, of: byteClass) }
                    #expect(found == reference(bytes, from: start, byteClass), "\(bytes) from \(start)")
                }
            }
        }
    }

    @Test func theClassesAreWhatTheirCallersNeed() {
        #expect((0...255).filter { ByteScan.ByteClass.csvSpecial.contains(UInt8($0)) } == [0x0A, 0x0D, 0x22, 0x2C])
        #expect((0...255).filter { ByteScan.ByteClass.htmlSpecial.contains(UInt8($0)) } == [0x22, 0x26, 0x3C, 0x3E])
        // XML keeps tab, LF and CR as they are.
        #expect(!ByteScan.ByteClass.xmlSpecial.contains(0x09) && !ByteScan.ByteClass.xmlSpecial.contains(0x0A))
        #expect(ByteScan.ByteClass.xmlSpecial.contains(0x08) && ByteScan.ByteClass.xmlSpecial.contains(0x27))
        #expect(ByteScan.ByteClass.urlUnsafe.contains(0x20) && !ByteScan.ByteClass.urlUnsafe.contains(0x21))
        #expect(!ByteScan.ByteClass.nonASCII.contains(0x7F) && ByteScan.ByteClass.nonASCII.contains(0x80))
        [UInt8](" ~".utf8).withUnsafeBufferPointer { #expect(ByteScan.isPrintableASCII($0)) }
        [UInt8]("a\u{7F}".utf8).withUnsafeBufferPointer { #expect(!ByteScan.isPrintableASCII($0)) }
    }
}
