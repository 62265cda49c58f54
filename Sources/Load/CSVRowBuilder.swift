import Catalog

/// One product's CSV records, appended as bytes: cells in column order with commas for the empty
/// cells between, quoted only when RFC 4180 needs it, free-text cells under the formula rule
/// (feeds.md §4.1). Feeds write millions of cells: building them as Strings and arrays of rows
/// first cost more than writing the file.
struct CSVRowBuilder: ~Copyable {
    /// The records so far; a cell between ``begin(_:)`` and ``end(_:from:limit:)`` is appended here.
    var bytes = ByteBuffer(capacity: 8192)
    let isText: [Bool]
    let spreadsheetSafe: Bool
    /// Commas written in the current record: the column the next cell starts in.
    private var commas = 0

    init(isText: [Bool], spreadsheetSafe: Bool) {
        self.isText = isText
        self.spreadsheetSafe = spreadsheetSafe
    }

    /// Starts the next product.
    mutating func reset() {
        bytes.removeAll()
        commas = 0
    }

    private mutating func move(to column: Int) {
        assert(column >= commas, "cells out of column order")
        bytes.append(repeating: UInt8(ascii: ","), count: column - commas)
        commas = column
    }

    /// A cell's text; nothing for an empty one.
    mutating func cell(_ column: Int, _ value: String) {
        guard !value.isEmpty else { return }
        move(to: column)
        CSVFormat.appendField(isText[column] ? CSVCell.text(value, spreadsheetSafe: spreadsheetSafe) : value, to: &bytes)
    }

    /// A value that never needs quotes or the formula rule: constants, numbers, safe URLs.
    mutating func plain(_ column: Int, _ value: StaticString) {
        move(to: column)
        bytes.append(value)
    }

    /// A safe URL (``FeedValues/safeURL(_:)``: no comma, quote, CR or LF) or another plain value.
    mutating func plain(_ column: Int, _ value: String) {
        move(to: column)
        bytes.append(contentsOf: value)
    }

    /// The same for a value given as bytes.
    mutating func plain(_ column: Int, bytes value: UnsafeBufferPointer<UInt8>) {
        move(to: column)
        bytes.append(contentsOf: value)
    }

    /// `prefix` and a decimal integer (`ae-1005001`).
    mutating func number(_ column: Int, prefix: StaticString = "", _ value: Int64) {
        move(to: column)
        ByteText.appendInteger(value, to: &bytes, prefix: prefix)
    }

    /// An amount with two decimals (`12.50`).
    mutating func money(_ column: Int, _ money: Money) {
        move(to: column)
        DecimalText.append(money.amount, scale: 2, to: &bytes)
    }

    /// A cell written piece by piece straight into the record, then cut to `limit` characters
    /// the way ``TitleCleaner/truncate(_:limit:)`` cuts, and quoted (or given the formula rule)
    /// in place when its bytes need it; nothing for an empty one.
    mutating func built(_ column: Int, limit: Int? = nil, _ build: (inout ByteBuffer) -> Void) {
        let start = begin(column)
        build(&bytes)
        end(column, from: start, limit: limit)
    }

    /// Starts a cell that the caller appends to ``bytes`` itself, then closes with
    /// ``end(_:from:limit:)``: ``built(_:limit:_:)`` without a closure, which would capture
    /// (copy, then release) every product it names, on a thread that did not make it.
    mutating func begin(_ column: Int) -> Int {
        move(to: column)
        return bytes.count
    }

    /// Ends a cell started by ``begin(_:)``: cut, then quoted or given the formula rule as needed.
    mutating func end(_ column: Int, from start: Int, limit: Int? = nil) {
        if let limit { TitleCleaner.cut(&bytes, from: start, limit: limit) }
        guard start < bytes.count else { return }
        let text = isText[column]
        let needsCare = bytes.withUnsafeBufferPointer(from: start) { cell in
            (text && CSVCell.mayTrigger(cell[0])) || CSVFormat.needsQuotes(cell)
        }
        guard needsCare else { return }
        let value = bytes.string(from: start)
        bytes.removeSuffix(from: start)
        CSVFormat.appendField(text ? CSVCell.text(value, spreadsheetSafe: spreadsheetSafe) : value, to: &bytes)
    }

    /// Ends the record (its trailing empty cells, CRLF).
    mutating func endRecord() {
        move(to: isText.count - 1)
        bytes.append(0x0D)
        bytes.append(0x0A)
        commas = 0
    }

    /// A record as a layout's `rows(for:options:)` gives it.
    mutating func append(_ row: CSVRow) {
        switch row {
        case .full(let values):
            for (index, value) in values.enumerated() { cell(index, value) }
        case .sparse(var values):
            if zip(values, values.dropFirst()).contains(where: { $0.column > $1.column }) { values.sort { $0.column < $1.column } }
            for (column, value) in values { cell(column, value) }
        }
        endRecord()
    }
}
