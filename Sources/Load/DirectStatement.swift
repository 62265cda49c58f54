import GRDB
import GRDBSQLite

/// A prepared statement bound and stepped through SQLite's C API. The catalog writes several rows
/// per product; GRDB's argument arrays (an existential per value) cost more than the insert.
/// The statement still belongs to GRDB (it is prepared, cached and finalized there).
struct DirectStatement {
    let statement: Statement
    let handle: SQLiteStatement

    init(_ statement: Statement) {
        self.statement = statement
        handle = statement.sqliteStatement
    }

    /// SQLite copies the text before the call returns (Swift strings do not outlive the call).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Int?) { bind(index, value.map(Int64.init)) }

    func bind(_ index: Int32, _ value: String?) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        let length = Int32(value.utf8.count)
        value.withCString { _ = sqlite3_bind_text(handle, index, $0, length, Self.transient) }
    }

    func bindNull(_ index: Int32) { sqlite3_bind_null(handle, index) }

    /// Text that stays valid until the statement has run (SQLite does not copy it).
    func bindText(_ index: Int32, _ text: UnsafePointer<UInt8>, count: Int32) {
        text.withMemoryRebound(to: CChar.self, capacity: Int(count)) { _ = sqlite3_bind_text(handle, index, $0, count, nil) }
    }

    /// Runs a bound query for its first row's first column as an integer (nil: no row).
    func integerResult() throws -> Int64? {
        let code = sqlite3_step(handle)
        let value = code == SQLITE_ROW ? sqlite3_column_int64(handle, 0) : nil
        try reset(after: code)
        return value
    }

    /// Runs the bound statement once and makes it ready for the next row.
    func run() throws {
        try reset(after: sqlite3_step(handle))
    }

    private func reset(after code: Int32) throws {
        sqlite3_reset(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))
            sqlite3_clear_bindings(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }
}
