import Testing
@testable import Catalog

/// ``ByteBuffer`` holds exactly what was appended, in order, across every way of appending and
/// every time it grows.
struct ByteBufferTests {
    @Test func everyKindOfAppendLandsInOrderAcrossGrowth() {
        var buffer = ByteBuffer(capacity: 1)
        var expected: [UInt8] = []
        var numbers = Numbers(seed: 5)
        for round in 0..<2_000 {
            switch numbers.next() % 6 {
            case 0:
                let byte = UInt8(truncatingIfNeeded: round)
                buffer.append(byte)
                expected.append(byte)
            case 1:
                buffer.append("static")
                expected += Array("static".utf8)
            case 2:
                let text = String(repeating: "é", count: numbers.next() % 40)
                buffer.append(contentsOf: text)
                expected += Array(text.utf8)
            case 3:
                let bytes = (0..<(numbers.next() % 300)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
                buffer.append(contentsOf: bytes)
                expected += bytes
            case 4:
                ByteText.appendInteger(Int64(round) - 1_000, to: &buffer, prefix: "n")
                expected += Array("n\(round - 1_000)".utf8)
            default:
                // Short text is stored inside the String itself, long text in its own storage.
                let text = "\(round)" + String(repeating: "x", count: numbers.next() % 20)
                buffer.append(contentsOf: text)
                expected += Array(text.utf8)
            }
            #expect(buffer.count == expected.count)
        }
        #expect(buffer.array == expected)
        #expect(buffer.string(from: 3) == String(decoding: expected[3...], as: UTF8.self))
    }

    @Test func suffixesAreRemovedAndReplaced() {
        var buffer = ByteBuffer(capacity: 4)
        buffer.append(contentsOf: "prefix:rest of it")
        buffer.removeSuffix(from: 7)
        #expect(buffer.string() == "prefix:")
        buffer.replaceSuffix(from: 3, with: "fab".utf8)
        #expect(buffer.string() == "prefab")
        #expect(buffer[0] == UInt8(ascii: "p"))
        #expect(buffer[5] == UInt8(ascii: "b"))
        buffer.append(repeating: UInt8(ascii: ","), count: 3)
        buffer.append(repeating: UInt8(ascii: "!"), count: 0)
        #expect(buffer.string() == "prefab,,,")
        buffer.removeAll()
        let emptied = buffer.isEmpty
        #expect(emptied)
        buffer.append("again")
        #expect(buffer.string() == "again")
    }
}
