import OpenPlatform
import Testing

@Suite struct FormEncodingTests {
    @Test func encodesNonASCIIAsSpecWireExample() {
        #expect(FormEncoding.encode([("keywords", "écouteurs 蓝牙")]) == "keywords=%C3%A9couteurs%20%E8%93%9D%E7%89%99")
    }

    @Test func encodesPlusAndReservedCharacters() {
        #expect(FormEncoding.percentEncode("a+b&c=d/e,f") == "a%2Bb%26c%3Dd%2Fe%2Cf")
        #expect(FormEncoding.percentEncode("AZaz09-._~") == "AZaz09-._~")
    }

    @Test func decodesPlusAsSpaceAndRoundTrips() throws {
        let pairs = try #require(FormEncoding.decode("a=1+2&b=%2B&c=%E8%93%9D&d="))
        #expect(pairs.map(\.0) == ["a", "b", "c", "d"])
        #expect(pairs.map(\.1) == ["1 2", "+", "蓝", ""])
        let original = [("k", "x+y z&=%")]
        let back = try #require(FormEncoding.decode(FormEncoding.encode(original)))
        #expect(back.first?.1 == "x+y z&=%")
    }

    @Test func rejectsBrokenEscapes() {
        #expect(FormEncoding.decode("a=%G1") == nil)
        #expect(FormEncoding.decode("a=%E8%93") == nil)
    }
}
