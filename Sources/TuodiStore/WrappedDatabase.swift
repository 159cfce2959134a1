import Logging
import NIOCore
import SQLKit

/// A backend's `SQLDatabase` that runs queries its own way (`execute(sql:_:) async`) and takes
/// everything else from the driver's SQLKit database it wraps (one connection, already a session).
/// The future-based `execute` goes to the wrapped database, rows and all: the store calls only
/// the async one.
public protocol WrappedDatabase: SQLDatabase {
    var inner: any SQLDatabase { get }
}

extension WrappedDatabase {
    public var logger: Logger { inner.logger }
    public var eventLoop: any EventLoop { inner.eventLoop }
    public var version: (any SQLDatabaseReportedVersion)? { inner.version }
    public var dialect: any SQLDialect { inner.dialect }
    public var queryLogLevel: Logger.Level? { inner.queryLogLevel }

    public func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        inner.execute(sql: query, onRow)
    }

    public func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}
