import XCTest
@testable import BottomLine

/// Short text made in place (`SmallText`, `JSONCursor.readSmallASCII`): the same string, bit for
/// bit, as `String(decoding:as:)` makes, for every count it makes; everything else left to the
/// general reader; and ids of every length read the same through the reader.
final class SmallTextTests: XCTestCase {
    /// The two words of `bytes` (at most 16), little-endian, padded with `pad`.
    func words(_ bytes: [UInt8], pad: UInt8) -> (UInt64, UInt64) {
        let b = bytes + Array(repeating: pad, count: 16 - bytes.count)
        var lo: UInt64 = 0, hi: UInt64 = 0
        for i in 0..<8 { lo |= UInt64(b[i]) << UInt64(8 * i); hi |= UInt64(b[8 + i]) << UInt64(8 * i) }
        return (lo, hi)
    }

    func testTheLayoutHoldsOnThisPlatform() {
        // (Where it does not, text is made by the standard library: correct, but slower. The
        // benchmark's machines are 64-bit little-endian Linux, where it holds.)
        #if os(Linux) && arch(x86_64)
        XCTAssertTrue(SmallText.layoutHolds)
        #endif
    }

    func testEveryCountMakesTheStandardString() throws {
        try XCTSkipUnless(SmallText.layoutHolds)
        let samples: [[UInt8]] = [Array(0x20...0x7E), Array("SW-03864 Team 0322 C-0000000".utf8), [0x00, 0x01, 0x1F, 0x7F, 0x22, 0x5C, 0x41]]
        for sample in samples {
            for n in 0...15 {
                let bytes = Array((sample + sample + sample)[..<n])
                // Bytes past the count are ignored, whatever they are.
                for pad: UInt8 in [0x00, 0xFF, 0x41] {
                    let (lo, hi) = words(bytes, pad: pad)
                    let made = try XCTUnwrap(SmallText.ascii(lo, hi, count: n), "\(bytes)")
                    let standard = String(decoding: bytes, as: UTF8.self)
                    XCTAssertEqual(made, standard)
                    XCTAssertEqual(made.utf8.count, n)
                    XCTAssertEqual(Array(made.utf8), bytes)
                    XCTAssertEqual(unsafeBitCast(made, to: (UInt64, UInt64).self).0, unsafeBitCast(standard, to: (UInt64, UInt64).self).0)
                    XCTAssertEqual(unsafeBitCast(made, to: (UInt64, UInt64).self).1, unsafeBitCast(standard, to: (UInt64, UInt64).self).1)
                    XCTAssertEqual(made.hashValue, standard.hashValue)
                    XCTAssertEqual(made + "!", standard + "!")
                }
            }
        }
    }

    func testBytesThatAreNotASCIIAreLeftToTheStandardLibrary() throws {
        try XCTSkipUnless(SmallText.layoutHolds)
        for n in 1...15 {
            for at in [0, n / 2, n - 1] {
                var bytes = Array(repeating: UInt8(0x61), count: n)
                bytes[at] = 0xC3
                let (lo, hi) = words(bytes, pad: 0x20)
                XCTAssertNil(SmallText.ascii(lo, hi, count: n), "count \(n), byte \(at)")
            }
        }
    }

    /// `readSmallASCII` at the start of `text`: the string and where the cursor is left.
    func readSmall(_ text: String) -> (String?, Int) {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b in
            var c = JSONCursor(b)
            let s = c.readSmallASCII()
            return (s, c.pos)
        }
    }

    func testReadSmallASCIITakesOnlyShortPlainStrings() throws {
        try XCTSkipUnless(SmallText.layoutHolds)
        let tail = String(repeating: " ", count: 16)
        let table: [(String, String?, Int, String)] = [
            (#""SW-03864", "# + tail, "SW-03864", 10, "an id, its closing quote in the first word"),
            (#""C-0000000"}"# + tail, "C-0000000", 11, "closing quote in the second word"),
            (#""""# + tail, "", 2, "empty"),
            (#""abcdefghijklmno""# + tail, "abcdefghijklmno", 17, "15 bytes"),
            (#""abcdefghijklmnop""# + tail, nil, 0, "16 bytes: too long for a small string"),
            (#""ab\"cd""# + tail, nil, 0, "an escape"),
            (#""ab\ncd""# + tail, nil, 0, "an escape"),
            ("\"ab\tcd\"" + tail, nil, 0, "a control character (an error for the general reader)"),
            (#""CHé""# + tail, nil, 0, "not ASCII"),
            (#""abc""#, nil, 0, "fewer than 16 bytes after the opening quote"),
            (#""abc""# + String(repeating: " ", count: 11), nil, 0, "15 bytes after the opening quote"),
            (#""abc""# + String(repeating: " ", count: 12), "abc", 5, "16 bytes after the opening quote"),
        ]
        for (text, expected, pos, what) in table {
            let (s, at) = readSmall(text)
            XCTAssertEqual(s, expected, what)
            XCTAssertEqual(at, pos, what)
        }
    }

    /// Through the reader, ids of every length from 0 to 20, plain, escaped and not ASCII, read
    /// the same as the general reader reads them.
    func testIdsOfEveryLengthReadTheSame() {
        let schema = RecordSchema(fields: [
            FieldSchema(name: "case_id", type: .text, optional: false),
            FieldSchema(name: "worker", type: .record(RecordSchema(fields: [FieldSchema(name: "id", type: .text, optional: false)])), optional: true),
        ])
        var ids: [String] = (0...20).map { String(String(repeating: "C-0123456789", count: 2).prefix($0)) }
        ids += ["CHé", "C-\u{1F600}", "a\"b", "tab\tin"]
        for id in ids {
            let escaped = id.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\t", with: "\\t")
            for line in [#"{"case_id": "\#(escaped)", "worker": {"id": "\#(escaped)"}}"#, #"{"worker": {"id": "\#(escaped)"}, "case_id": "\#(escaped)"}"#] {
                var out: [SnapshotResult] = []
                SnapshotReader(schema: schema, idField: "case_id").read(Array(line.utf8), file: "f") { out.append($0) }
                guard case .accepted(let s)? = out.first, out.count == 1 else { return XCTFail("\(line): \(out)") }
                XCTAssertEqual(s.caseID, id, line)
                XCTAssertEqual(s.record.fields[0], .text(id), line)
                XCTAssertEqual(s.record.fields[1], .record(RecordValue(fields: [.text(id)])), line)
            }
        }
    }
}
