import NIOCore
import PostgresNIO
import Synchronization

/// Named prepared statements on each pooled connection, for the statements a connection runs
/// again and again.
///
/// Why: PostgreSQL parses, analyses and plans every unnamed statement anew: 45 % of its CPU in a
/// custody appointment. A statement seen a second time on a connection is prepared there and
/// from then on only bound and executed: parsed once, and planned once PostgreSQL settles on a
/// generic plan. A statement run once (most of a bulk load's) is not prepared, so it costs no
/// extra round trip. A prepared statement outlives a rolled-back transaction; it ends with its
/// connection, and so does the record of it here.
///
/// PostgresNIO prepares a statement of run-time text only through its older API, which lets
/// PostgreSQL infer the parameters' types; each `$n` is therefore prepared as `CAST($n AS type)`,
/// the type of its bind, which is the type an unnamed statement's parameter gets from its bind.
final class PreparedStatements: Sendable {
    /// At most this many statements prepared on one connection; more run unprepared.
    static let perConnection = 256
    /// At most this many statements remembered as seen once; then the record starts over.
    static let seenLimit = 1024

    private struct OnConnection {
        var prepared: [String: PreparedQuery] = [:]
        var seen: Set<String> = []
        /// Statements whose preparing failed: run unprepared from then on.
        var refused: Set<String> = []
    }

    private let connections = Mutex<[PostgresConnection.ID: OnConnection]>([:])

    /// The statement `sql` with parameters of `types` prepared on `connection`: found, or prepared
    /// now if the connection has run it before; nil if it should run unprepared.
    func statement(_ sql: String, types: [PostgresDataType], on connection: PostgresConnection) async throws -> PreparedQuery? {
        let key = types.map { String($0.rawValue) }.joined(separator: ",") + "|" + sql
        let (found, prepare, isNew) = connections.withLock { all -> (PreparedQuery?, Bool, Bool) in
            let isNew = all[connection.id] == nil
            var on = all[connection.id] ?? OnConnection()
            defer { all[connection.id] = on }
            if let found = on.prepared[key] { return (found, false, isNew) }
            if on.refused.contains(key) { return (nil, false, isNew) }
            if on.seen.contains(key) && on.prepared.count < Self.perConnection { return (nil, true, isNew) }
            if on.seen.count >= Self.seenLimit { on.seen.removeAll() }
            on.seen.insert(key)
            return (nil, false, isNew)
        }
        if isNew {
            let id = connection.id
            connection.closeFuture.whenComplete { [weak self] _ in self?.connections.withLock { _ = $0.removeValue(forKey: id) } }
        }
        if let found { return found }
        guard prepare, let text = Self.typed(sql, types) else { return nil }
        let prepared: PreparedQuery
        do {
            prepared = try await connection.prepare(query: text).get()
        } catch {
            // The statement fails this once (its transaction is aborted); from then on it runs as it is.
            connections.withLock { _ = $0[connection.id]?.refused.insert(key) }
            throw error
        }
        // Updates only a connection still recorded: one closed meanwhile has been forgotten.
        connections.withLock { $0[connection.id]?.prepared[key] = prepared }
        return prepared
    }

    /// Forgets what was prepared on `connection`: PostgreSQL no longer has it (SQLSTATE 26000,
    /// after a `DEALLOCATE` or `DISCARD`; or behind a pooler that changes sessions) or its plan
    /// no longer fits (0A000, after a change to a table). Statements are prepared again.
    func forget(_ connection: PostgresConnection) {
        connections.withLock { $0[connection.id]?.prepared.removeAll() }
    }

    /// `sql` with each parameter `$n` outside a quoted literal or identifier cast to its type;
    /// nil (run it unprepared) for a type without a name here, a parameter number without a
    /// type, or text this simple scanner does not follow: a comment, a dollar-quoted or an
    /// escape string (`E'...'`), a `$` inside a name, a quote left open.
    static func typed(_ sql: String, _ types: [PostgresDataType]) -> String? {
        let names: [PostgresDataType: String] = [.text: "text", .int8: "int8", .float8: "float8", .bool: "bool"]
        var out = ""
        out.reserveCapacity(sql.utf8.count + types.count * 16)
        var quote: Character?
        var chars = sql[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if let q = quote {
                out.append(c)
                if c == q { quote = nil }   // a doubled quote closes and reopens: the same
                continue
            }
            if c == "'" || c == "\"" {
                // An escape string: E'...' where the E starts a word.
                if c == "'", let e = out.last, e == "E" || e == "e", !Self.inName(out.dropLast().last) { return nil }
                quote = c
                out.append(c)
                continue
            }
            if (c == "-" && chars.first == "-") || (c == "/" && chars.first == "*") { return nil }   // a comment
            guard c == "$" else {
                out.append(c)
                continue
            }
            // A parameter: `$` then digits, not inside a name (`a$1`) and not a dollar quote.
            if Self.inName(out.last) { return nil }
            let number = chars.prefix { $0.isASCII && $0.isNumber }
            chars = chars.dropFirst(number.count)
            guard let n = Int(number), n >= 1, n <= types.count, let name = names[types[n - 1]] else { return nil }
            out += "CAST($\(n) AS \(name))"
        }
        return quote == nil ? out : nil
    }

    private static func inName(_ c: Character?) -> Bool {
        c.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false
    }
}
