import ArgumentParser
import Foundation
import Load

/// How one-off commands print: an aligned table on a terminal, CSV or JSON for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json

    /// A table on a terminal, CSV when piped.
    static var automatic: OutputFormat { isatty(1) == 1 ? .table : .csv }
}

enum Output {
    /// Prints rows in the format, or writes them atomically to `file`.
    static func emit(header: [String], rows: [[String]], format: OutputFormat, rightAligned: Set<Int> = [], to file: String? = nil) throws {
        let text: String
        switch format {
        case .csv:
            text = ([CSVFormat.row(header)] + rows.map { CSVFormat.row($0.map { CSVCell.text($0, spreadsheetSafe: false) }) }).joined()
        case .json:
            let objects = rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            text = String(decoding: try encoder.encode(objects), as: UTF8.self) + "\n"
        case .table:
            text = TextTable.render(header: header, rows: rows, rightAligned: rightAligned) + "\n"
        }
        if let file {
            let output = try AtomicFile(target: URL(fileURLWithPath: file))
            try output.write(text)
            try output.commit()
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

/// A plain aligned table for terminals.
enum TextTable {
    static func render(header: [String], rows: [[String]], rightAligned: Set<Int>) -> String {
        let clipped = rows.map { $0.map { $0.count > 70 ? String($0.prefix(69)) + "…" : $0 } }
        var widths = header.map(\.count)
        for row in clipped { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression)
        }
        var lines = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += clipped.map(line)
        if rows.isEmpty { lines.append("(none)") }
        return lines.joined(separator: "\n")
    }
}
