/// A hash that is the same in every process and on every machine (Swift's `Hasher` is seeded
/// per process), so the sandbox's catalog is reproducible from its seed.
struct StableHash {
    private(set) var state: UInt64

    init(seed: UInt64) { state = Self.mix(seed ^ 0x9E37_79B9_7F4A_7C15) }

    mutating func combine(_ value: UInt64) { state = Self.mix(state ^ Self.mix(value &+ 0x632B_E59B_D9B4_E019)) }

    mutating func combine(_ value: Int) { combine(UInt64(bitPattern: Int64(value))) }

    mutating func combine(_ text: String) {
        var fnv: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            fnv ^= UInt64(byte)
            fnv = fnv &* 0x0000_0100_0000_01B3
        }
        combine(fnv)
        combine(UInt64(text.utf8.count))
    }

    var value: UInt64 { Self.mix(state) }

    /// SplitMix64's finalizer.
    static func mix(_ input: UInt64) -> UInt64 {
        var z = input &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func of(_ seed: UInt64, _ parts: any HashPart...) -> UInt64 {
        var hash = StableHash(seed: seed)
        for part in parts { part.feed(into: &hash) }
        return hash.value
    }
}

protocol HashPart { func feed(into hash: inout StableHash) }
extension Int: HashPart { func feed(into hash: inout StableHash) { hash.combine(self) } }
extension Int64: HashPart { func feed(into hash: inout StableHash) { hash.combine(UInt64(bitPattern: self)) } }
extension UInt64: HashPart { func feed(into hash: inout StableHash) { hash.combine(self) } }
extension String: HashPart { func feed(into hash: inout StableHash) { hash.combine(self) } }

extension UInt64 {
    /// A value in `0..<bound` taken from the hash.
    func below(_ bound: Int) -> Int { Int(self % UInt64(Swift.max(bound, 1))) }
    /// A fraction in `0..<1`.
    var unit: Double { Double(self >> 11) / Double(1 << 53) }
}
