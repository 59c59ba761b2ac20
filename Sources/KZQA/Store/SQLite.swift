import CSQLite
import Foundation

let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A failed SQLite call, with SQLite's own message kept for logs and tests (never shown raw to users).
public struct SQLiteError: Error, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public var description: String { "SQLite error \(code): \(message)" }
}

/// A thin owner of one SQLite connection: prepared statements cached by SQL text, transactions, pragmas.
/// Not Sendable: one connection per thread.
public final class SQLiteDatabase {
    let handle: OpaquePointer
    public let path: String
    private var cache: [String: SQLiteStatement] = [:]

    public init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: message)
        }
        self.handle = db
        self.path = path
        sqlite3_busy_timeout(db, 5000)
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    var lastError: SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? "error"
            sqlite3_free(err)
            throw SQLiteError(code: rc, message: message)
        }
    }

    /// A prepared statement, reused across calls with the same SQL text.
    public func prepare(_ sql: String) throws -> SQLiteStatement {
        if let s = cache[sql] {
            s.reset()
            return s
        }
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil) == SQLITE_OK, let stmt else {
            throw lastError
        }
        let s = SQLiteStatement(stmt: stmt, db: self)
        cache[sql] = s
        return s
    }

    /// Runs `body` inside BEGIN IMMEDIATE … COMMIT, rolling back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// The single value of a one-row, one-column query, or nil when there is no row.
    public func scalarInt(_ sql: String, _ args: SQLiteValue...) throws -> Int64? {
        let s = try prepare(sql)
        defer { s.reset() }
        try s.bind(args)
        return try s.step() ? s.int(0) : nil
    }

    public func scalarText(_ sql: String, _ args: SQLiteValue...) throws -> String? {
        let s = try prepare(sql)
        defer { s.reset() }
        try s.bind(args)
        return try s.step() ? s.text(0) : nil
    }

    /// Every row of a query, each made into a value by `row` (GRDB's `fetchAll` shape): prepares (from the cache),
    /// binds, steps and resets in one place. `row` reads the current row and must not keep the statement.
    public func fetchAll<T>(_ sql: String, _ args: [SQLiteValue] = [], row: (SQLiteStatement) throws -> T) throws -> [T] {
        let s = try prepare(sql)
        defer { s.reset() }
        try s.bind(args)
        var out: [T] = []
        while try s.step() { out.append(try row(s)) }
        return out
    }

    /// The first row of a query made into a value, or nil when there is none.
    public func fetchOne<T>(_ sql: String, _ args: [SQLiteValue] = [], row: (SQLiteStatement) throws -> T?) throws -> T? {
        let s = try prepare(sql)
        defer { s.reset() }
        try s.bind(args)
        return try s.step() ? try row(s) : nil
    }

    /// Runs a statement that returns no rows with the given arguments.
    public func run(_ sql: String, _ args: SQLiteValue...) throws {
        let s = try prepare(sql)
        defer { s.reset() }
        try s.bind(args)
        _ = try s.step()
    }
}

/// A value bound to a statement parameter.
public enum SQLiteValue {
    case int(Int64), double(Double), text(String), blob(Data), null
}

/// One prepared statement. Bind, then `step()` until it returns false.
public final class SQLiteStatement {
    let stmt: OpaquePointer
    unowned let db: SQLiteDatabase

    init(stmt: OpaquePointer, db: SQLiteDatabase) {
        self.stmt = stmt
        self.db = db
    }

    deinit { sqlite3_finalize(stmt) }

    public func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    public func bind(_ values: [SQLiteValue]) throws {
        for (i, v) in values.enumerated() {
            let idx = Int32(i + 1)
            let rc: Int32
            switch v {
            case .int(let x): rc = sqlite3_bind_int64(stmt, idx, x)
            case .double(let x): rc = sqlite3_bind_double(stmt, idx, x)
            case .text(let s): rc = sqlite3_bind_text(stmt, idx, s, -1, SQLITE_TRANSIENT)
            case .blob(let d):
                rc = d.withUnsafeBytes { raw in
                    sqlite3_bind_blob(stmt, idx, raw.baseAddress, Int32(raw.count), SQLITE_TRANSIENT)
                }
            case .null: rc = sqlite3_bind_null(stmt, idx)
            }
            if rc != SQLITE_OK { throw db.lastError }
        }
    }

    /// Advances to the next row: true when a row is available, false when done.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let err = db.lastError
        sqlite3_reset(stmt)
        throw err
    }

    public func int(_ col: Int32) -> Int64 { sqlite3_column_int64(stmt, col) }
    public func double(_ col: Int32) -> Double { sqlite3_column_double(stmt, col) }
    public func isNull(_ col: Int32) -> Bool { sqlite3_column_type(stmt, col) == SQLITE_NULL }

    public func text(_ col: Int32) -> String {
        guard sqlite3_column_type(stmt, col) != SQLITE_NULL, let p = sqlite3_column_text(stmt, col) else { return "" }
        let n = Int(sqlite3_column_bytes(stmt, col))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// Calls `body` with the raw bytes of a blob column (valid only inside the call).
    public func withBlob<T>(_ col: Int32, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        let n = Int(sqlite3_column_bytes(stmt, col))
        guard n > 0, let p = sqlite3_column_blob(stmt, col) else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return body(UnsafeRawBufferPointer(start: p, count: n))
    }
}
