import XCTest

@testable import BottomLine

/// The hash slots of `GroupTable` (and their hash of bytes): things told apart by comparison where
/// their hashes agree, however full the slots.
final class HashSlotsTests: XCTestCase {
    /// Things whose hashes agree in full, or in their top halves only, are told apart by the
    /// comparison `find` is given, however full the slots.
    func testSlotsTellApartThingsWhoseHashesAgree() {
        var slots = HashSlots()
        var hashes: [UInt64] = []
        for place in 0..<200 {
            // Four things to a hash; hashes whose top halves agree two by two.
            let hash: UInt64 = (UInt64(place / 8) << 32) | UInt64(place / 4 + 1)
            XCTAssertNil(slots.find(hash, where: { $0 == place }))
            if slots.isFull {
                let all = hashes
                slots.grow { all[$0] }
            }
            slots.add(hash, place: place)
            hashes.append(hash)
        }
        for (place, hash) in hashes.enumerated() {
            XCTAssertEqual(slots.find(hash, where: { $0 == place }), place)
            XCTAssertNil(slots.find(hash | 0x8000_0000_0000_0000, where: { $0 == place }))
        }
    }

    /// Equal strings hash alike, and a change of any byte, or of the length, changes the hash.
    func testByteHashOfEveryLength() {
        var seen: Set<UInt64> = []
        for length in 0...40 {
            let base = String(repeating: "a", count: length)
            XCTAssertEqual(ByteHash.hash(base), ByteHash.hash(String(base.utf8.map { Character(UnicodeScalar($0)) })))
            XCTAssertTrue(seen.insert(ByteHash.hash(base)).inserted, "length \(length)")
            for i in 0..<length {
                var bytes = Array(base.utf8)
                bytes[i] = UInt8(ascii: "b")
                XCTAssertTrue(seen.insert(ByteHash.hash(String(decoding: bytes, as: UTF8.self))).inserted, "length \(length), byte \(i)")
            }
        }
    }
}
