import ArgumentParser
import Foundation
import TuodiApp
import TuodiStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations (each in its own transaction).")

    @Flag(help: "Only list applied and pending versions; change nothing.")
    var status = false

    @Option(help: "Output format of --status: table, json or csv.")
    var format: OutputFormat = .table

    func run() async throws {
        try await withContext(requireCurrentSchema: false) { context, _ in
            if status {
                let s = try await context.store.migrationStatus()
                var rows = s.applied.map { a in
                    [String(a.version), a.name, s.changed.contains(a.version) ? "changed" : (s.unknown.contains(a.version) ? "unknown" : "applied"),
                     ISO8601DateFormatter().string(from: a.appliedAt)]
                }
                rows += s.pending.map { [String($0.version), $0.name, "pending", ""] }
                let listing = Listing(headers: ["version", "name", "state", "appliedAt"], rows: rows)
                print(try listing.render(format) {
                    try jsonEncoder.encode(rows.map { Dictionary(uniqueKeysWithValues: zip(listing.headers, $0)) })
                })
                if !s.isCurrent, !s.changed.isEmpty || !s.unknown.isEmpty {
                    throw MigrationError.changedAfterApply(version: s.changed.first ?? s.unknown[0], name: "see above")
                }
            } else {
                let applied = try await context.store.migrate()
                print(applied.isEmpty ? "Schema is current; nothing to apply."
                                      : "Applied: " + applied.map(\.name).joined(separator: ", "))
            }
        }
    }
}
