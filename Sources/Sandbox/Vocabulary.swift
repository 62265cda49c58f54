/// The words the sandbox's products are made of: a two-level category tree whose leaves hold the
/// product nouns that keywords match, with a USD price range and title words for each.
struct Vocabulary: Sendable {
    struct TopCategory: Sendable {
        var id: Int64
        var name: String
        var leaves: [Leaf]
    }

    struct Leaf: Sendable {
        var id: Int64
        var name: String
        /// Sale price range in USD cents.
        var priceCents: ClosedRange<Int>
        var nouns: [String]
        var features: [String]
    }

    /// A product noun with where it sits in the tree; products are made from these.
    struct Entry: Sendable {
        var index: Int
        var noun: String
        var tokens: [String]
        var top: Int
        var leaf: Int
    }

    var tops: [TopCategory]
    var entries: [Entry]

    static let standard = Vocabulary(tops: [
        TopCategory(id: 44, name: "Consumer Electronics", leaves: [
            Leaf(id: 629, name: "Accessories & Parts", priceCents: 99...1_899,
                 nouns: ["usb cable", "type c cable", "hdmi cable", "usb hub", "charger", "power bank"],
                 features: ["Fast Charging", "3A", "100W", "PD", "Braided", "2m", "Magnetic", "USB C"]),
            Leaf(id: 200_001_075, name: "Earphones & Headphones", priceCents: 399...8_999,
                 nouns: ["wireless earbuds", "headphones", "earphones", "gaming headset"],
                 features: ["Bluetooth 5.3", "TWS", "Noise Cancelling", "HiFi Stereo", "With Mic", "Waterproof", "Sport"]),
            Leaf(id: 200_216_623, name: "Smart Electronics", priceCents: 999...12_999,
                 nouns: ["smart watch", "fitness tracker", "smart ring"],
                 features: ["AMOLED", "Heart Rate", "Blood Oxygen", "IP68", "GPS", "Bluetooth Call", "1.96 inch"]),
            Leaf(id: 200_000_297, name: "Portable Audio & Video", priceCents: 799...15_999,
                 nouns: ["bluetooth speaker", "microphone", "projector"],
                 features: ["Portable", "Wireless", "Outdoor", "RGB", "4K", "Subwoofer", "Karaoke"]),
        ]),
        TopCategory(id: 509, name: "Phones & Telecommunications", leaves: [
            Leaf(id: 200_000_346, name: "Mobile Phone Accessories", priceCents: 99...2_499,
                 nouns: ["phone case", "screen protector", "phone holder", "phone stand"],
                 features: ["Shockproof", "Transparent", "Magnetic", "For iPhone 16", "For Samsung", "Tempered Glass", "MagSafe"]),
            Leaf(id: 200_084_019, name: "Mobile Phone Parts", priceCents: 299...4_999,
                 nouns: ["phone battery", "camera lens protector"],
                 features: ["Original", "High Capacity", "Replacement", "Anti Scratch"]),
        ]),
        TopCategory(id: 7, name: "Computer & Office", leaves: [
            Leaf(id: 200_002_342, name: "Computer Peripherals", priceCents: 299...9_999,
                 nouns: ["mechanical keyboard", "wireless mouse", "mouse pad", "webcam"],
                 features: ["RGB", "Hot Swap", "Ergonomic", "Silent", "1080P", "Gaming", "2.4G"]),
            Leaf(id: 200_002_320, name: "External Storage", priceCents: 199...12_999,
                 nouns: ["usb flash drive", "ssd", "sd card", "hard drive enclosure"],
                 features: ["1TB", "256GB", "USB 3.2", "NVMe", "High Speed", "Metal"]),
            Leaf(id: 200_004_720, name: "Office Electronics", priceCents: 999...8_999,
                 nouns: ["label printer", "laser pointer"],
                 features: ["Thermal", "Bluetooth", "Portable", "Rechargeable"]),
        ]),
        TopCategory(id: 15, name: "Home & Garden", leaves: [
            Leaf(id: 200_003_934, name: "Kitchen,Dining & Bar", priceCents: 149...5_999,
                 nouns: ["coffee grinder", "knife set", "water bottle", "silicone spatula"],
                 features: ["Stainless Steel", "BPA Free", "Electric", "Manual", "Leakproof", "Japanese"]),
            Leaf(id: 200_003_649, name: "Home Storage & Organization", priceCents: 99...2_999,
                 nouns: ["cable organizer", "storage bag", "drawer organizer", "storage box"],
                 features: ["Waterproof", "Portable", "Foldable", "Travel", "Large Capacity", "Transparent"]),
            Leaf(id: 125, name: "Garden Supplies", priceCents: 199...4_999,
                 nouns: ["solar light", "plant pot", "garden hose"],
                 features: ["LED", "Outdoor", "Waterproof", "Self Watering", "Expandable"]),
        ]),
        TopCategory(id: 1511, name: "Watches", leaves: [
            Leaf(id: 200_000_121, name: "Watches Accessories", priceCents: 99...1_999,
                 nouns: ["watch band", "watch strap", "watch winder"],
                 features: ["Silicone", "Leather", "Milanese", "20mm", "22mm", "Quick Release"]),
            Leaf(id: 200_214_006, name: "Men's Watches", priceCents: 999...29_999,
                 nouns: ["mechanical watch", "quartz watch", "dive watch"],
                 features: ["Automatic", "Sapphire", "Luminous", "Stainless Steel", "Waterproof", "Luxury"]),
        ]),
        TopCategory(id: 18, name: "Sports & Entertainment", leaves: [
            Leaf(id: 200_297_001, name: "Fitness & Body Building", priceCents: 199...4_999,
                 nouns: ["yoga mat", "resistance band", "jump rope"],
                 features: ["Non Slip", "TPE", "Thick", "Adjustable", "Home Gym"]),
            Leaf(id: 200_297_002, name: "Cycling", priceCents: 199...6_999,
                 nouns: ["bike light", "cycling gloves", "bike lock"],
                 features: ["USB Rechargeable", "Waterproof", "MTB", "Road Bike", "Anti Theft"]),
            Leaf(id: 100_005_433, name: "Camping & Hiking", priceCents: 299...19_999,
                 nouns: ["camping lantern", "tent", "sleeping bag", "hiking backpack"],
                 features: ["Ultralight", "Waterproof", "Outdoor", "2 Person", "40L"]),
        ]),
        TopCategory(id: 26, name: "Toys & Hobbies", leaves: [
            Leaf(id: 100_001_625, name: "Building & Construction Toys", priceCents: 299...8_999,
                 nouns: ["building blocks", "puzzle"],
                 features: ["Compatible", "Creative", "1000 Pieces", "Educational", "Kids Gift"]),
            Leaf(id: 100_001_626, name: "Remote Control Toys", priceCents: 1_499...29_999,
                 nouns: ["rc car", "drone", "rc boat"],
                 features: ["4K Camera", "Brushless", "GPS", "High Speed", "4WD", "Foldable"]),
        ]),
        TopCategory(id: 66, name: "Beauty & Health", leaves: [
            Leaf(id: 660_103, name: "Makeup", priceCents: 99...2_999,
                 nouns: ["lipstick", "makeup brush", "eyeliner"],
                 features: ["Waterproof", "Long Lasting", "Matte", "Vegan", "Set"]),
            Leaf(id: 100_000_616, name: "Hair Care & Styling", priceCents: 499...7_999,
                 nouns: ["hair clipper", "hair dryer", "hair straightener"],
                 features: ["Professional", "Cordless", "Ionic", "Ceramic", "USB"]),
            Leaf(id: 200_001_169, name: "Nail Art & Tools", priceCents: 99...2_499,
                 nouns: ["nail polish", "nail drill", "uv nail lamp"],
                 features: ["Gel", "Soak Off", "Electric", "48W", "Salon"]),
        ]),
        TopCategory(id: 34, name: "Automobiles & Motorcycles", leaves: [
            Leaf(id: 200_000_408, name: "Car Electronics", priceCents: 399...9_999,
                 nouns: ["dash cam", "car charger", "tire inflator"],
                 features: ["1080P", "Night Vision", "WiFi", "Dual USB", "Portable", "Digital"]),
            Leaf(id: 200_000_369, name: "Interior Accessories", priceCents: 199...5_999,
                 nouns: ["car seat cover", "car phone mount", "steering wheel cover"],
                 features: ["Universal", "Leather", "Breathable", "Magnetic", "Air Vent"]),
        ]),
        TopCategory(id: 13, name: "Home Improvement", leaves: [
            Leaf(id: 39, name: "Lights & Lighting", priceCents: 199...4_999,
                 nouns: ["led strip", "smart bulb", "night light"],
                 features: ["RGB", "WiFi", "Tuya", "5m", "Motion Sensor", "Dimmable"]),
            Leaf(id: 1420, name: "Tools", priceCents: 299...12_999,
                 nouns: ["screwdriver set", "multimeter", "soldering iron", "cordless drill"],
                 features: ["Precision", "Magnetic", "Digital", "Auto Range", "Brushless", "21V"]),
        ]),
        TopCategory(id: 100_006_664, name: "Pet Products", leaves: [
            Leaf(id: 100_006_665, name: "Dog Supplies", priceCents: 149...3_999,
                 nouns: ["dog collar", "dog leash", "dog harness"],
                 features: ["Reflective", "Adjustable", "No Pull", "Nylon", "Personalized"]),
            Leaf(id: 100_006_666, name: "Cat Supplies", priceCents: 99...4_999,
                 nouns: ["cat toy", "cat scratcher", "pet fountain"],
                 features: ["Interactive", "Automatic", "Feather", "Silent", "2L"]),
        ]),
        TopCategory(id: 36, name: "Jewelry & Accessories", leaves: [
            Leaf(id: 100_007_321, name: "Necklaces & Pendants", priceCents: 99...3_999,
                 nouns: ["necklace", "pendant", "choker"],
                 features: ["925 Sterling Silver", "Gold Plated", "Minimalist", "Vintage", "Zircon"]),
            Leaf(id: 100_007_322, name: "Rings", priceCents: 99...2_999,
                 nouns: ["ring", "couple rings"],
                 features: ["Titanium Steel", "Adjustable", "Moissanite", "Open"]),
        ]),
    ])

    init(tops: [TopCategory]) {
        self.tops = tops
        var entries: [Entry] = []
        for (t, top) in tops.enumerated() {
            for (l, leaf) in top.leaves.enumerated() {
                for noun in leaf.nouns {
                    entries.append(Entry(index: entries.count, noun: noun, tokens: Self.tokens(noun), top: t, leaf: l))
                }
            }
        }
        self.entries = entries
    }

    func leaf(of entry: Entry) -> Leaf { tops[entry.top].leaves[entry.leaf] }

    /// Lower-cased alphanumeric words, without the filler words search ignores.
    static func tokens(_ text: String) -> [String] {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
        var seen = Set<String>()
        return words.filter { !stopWords.contains($0) && seen.insert($0).inserted }
    }

    static let stopWords: Set<String> = ["for", "with", "and", "the", "a", "an", "of", "in", "new", "to", "on", "2024", "2025", "2026"]

    static let brands = ["Baseus", "UGREEN", "Lenovo", "Xiaomi", "QCY", "Anker", "Essager", "Hoco", "Orico", "Vention", "TOOCKI", "KZ", "Haylou", "Blitzwolf", "Deli", "Naturehike", "Aotu", "Kemei", "Jisulife", "LIGE"]
    static let prefixes = ["2026 New", "Original", "Hot Sale", "Upgraded", "Mini", "Portable", "Premium", "Newest"]
    static let suffixes = ["For Home Office", "Gift For Men Women", "Free Shipping", "High Quality", "Best Seller", "Wholesale", "Dropshipping", "Accessories"]
    static let shopWords = ["Official Store", "Factory Store Store", "Global Store", "Flagship Store", "Digital Store", "Life Store", "Direct Store"]
}
