import Foundation
import SQLKit
import Synchronization
import TuodiDomain

/// The estates whose facts or arrangements a transaction changed: their read-model rows are
/// rewritten before it commits.
final class ChangedEstates: Sendable {
    private let ids = Mutex<Set<Int>>([])
    func insert(_ id: Int) { ids.withLock { _ = $0.insert(id) } }
    func take() -> [Int] { ids.withLock { ids in defer { ids = [] }; return ids.sorted() } }
}

/// The episode read model (migration 0011): rows written from `EstateReadModel(timeline:)` and the
/// grouped queries that coverage and returns read.
extension SQLStoreTransaction {
    /// `WHERE` for the estates a read-model query is about: `ids`, or every estate when nil.
    private static func estateScope(_ column: String, _ ids: [Int]?) -> SQLQueryString {
        guard let ids else { return SQLQueryString("1 = 1") }
        return SQLQueryString("\(unsafeRaw: column) IN (\(binds: ids))")
    }

    /// The from-scratch computation for `ids` (all estates when nil): their facts and approved
    /// arrangements through `EstateTimeline`. Keyed by estate id, with the unit and code.
    func computeReadModels(_ ids: [Int]?) async throws -> [Int: (unit: String, code: String, model: EstateReadModel)] {
        var facts: [Int: [ManagementFact]] = [:]
        for row in try await db.raw("""
            SELECT \(unsafeRaw: Self.factColumns) FROM management_facts f WHERE \(Self.estateScope("f.estate_id", ids)) ORDER BY f.id
            """).all() {
            facts[try row.decode(column: "estate_id", as: Int.self), default: []].append(try Self.storedFact(from: row).fact)
        }
        var spans: [Int: [CoverageSpan]] = [:]
        for row in try await db.raw("""
            SELECT \(unsafeRaw: Self.arrangementColumns) FROM arrangements a
            WHERE \(Self.estateScope("a.estate_id", ids)) ORDER BY a.start_date, a.id
            """).all() {
            let a = try Self.arrangement(from: row)
            if let span = a.coverage { spans[a.estateID, default: []].append(span) }
        }
        var result: [Int: (unit: String, code: String, model: EstateReadModel)] = [:]
        for row in try await db.raw("SELECT id, unit, code FROM estates WHERE \(Self.estateScope("id", ids))").all() {
            let id = try row.decode(column: "id", as: Int.self)
            result[id] = (try row.decode(column: "unit", as: String.self), try row.decode(column: "code", as: String.self),
                          EstateReadModel(timeline: EstateTimeline(facts: facts[id] ?? [], coverage: spans[id] ?? [])))
        }
        return result
    }

    /// Rewrites the rows of `ids` (every estate when nil) from a from-scratch computation.
    func refreshReadModel(_ ids: [Int]?) async throws {
        if let ids, ids.isEmpty { return }
        if let ids, ids.count > Self.chunkSize {
            for start in stride(from: 0, to: ids.count, by: Self.chunkSize) {
                try await refreshReadModel(Array(ids[start..<min(start + Self.chunkSize, ids.count)]))
            }
            return
        }
        let models = try await computeReadModels(ids)
        try await db.raw("DELETE FROM estate_episodes WHERE \(Self.estateScope("estate_id", ids))").run()
        try await db.raw("DELETE FROM estate_states WHERE \(Self.estateScope("estate_id", ids))").run()
        var episodes: [[any Encodable & Sendable]] = [], states: [[any Encodable & Sendable]] = []
        for (id, m) in models.sorted(by: { $0.key < $1.key }) {
            for (i, e) in m.model.episodes.enumerated() {
                episodes.append([id, i + 1, m.unit, e.start.description, e.end?.description, e.endedBy?.description, e.daysToCover])
            }
            for s in m.model.states {
                states.append([id, m.unit, s.start.description, s.end?.description, s.state.description])
            }
        }
        try await insertRows("estate_episodes", columns: ["estate_id", "seq", "unit", "start_date", "end_date", "ended_by", "days_to_cover"],
                             rows: episodes)
        try await insertRows("estate_states", columns: ["estate_id", "unit", "start_date", "end_date", "state"], rows: states)
    }

    func rebuildReadModel() async throws -> Int {
        try await refreshReadModel(nil)
        return try await estateCount(unit: nil)
    }

    func readModelRows() async throws -> [String: EstateReadModel] {
        let episodes = try await rowsByCode("""
            SELECT e.code, p.start_date, p.end_date, p.ended_by FROM estate_episodes p JOIN estates e ON e.id = p.estate_id
            ORDER BY p.estate_id, p.seq
            """) { row in
            Episode(start: try Self.date(row, "start_date", entity: "estateEpisode"), end: try Self.optionalDate(row, "end_date", entity: "estateEpisode"),
                    endedBy: try row.optional("ended_by", String.self).map { try Self.state($0) })
        }
        let states = try await rowsByCode("""
            SELECT e.code, s.start_date, s.end_date, s.state FROM estate_states s JOIN estates e ON e.id = s.estate_id
            ORDER BY s.estate_id, s.start_date
            """) { row in
            StateSpan(start: try Self.date(row, "start_date", entity: "estateState"), end: try Self.optionalDate(row, "end_date", entity: "estateState"),
                      state: try Self.state(try row.decode(column: "state", as: String.self)))
        }
        return Set(episodes.keys).union(states.keys).reduce(into: [:]) { r, code in
            r[code] = EstateReadModel(episodes: episodes[code] ?? [], states: states[code] ?? [])
        }
    }

    /// A query's rows grouped by their `code` column, in the query's order.
    private func rowsByCode<T>(_ query: SQLQueryString, _ make: (any SQLRow) throws -> T) async throws -> [String: [T]] {
        var result: [String: [T]] = [:]
        for row in try await db.raw(query).all() {
            result[try row.decode(column: "code", as: String.self), default: []].append(try make(row))
        }
        return result
    }

    func readModelMismatches() async throws -> [ReadModelMismatch] {
        let stored = try await readModelRows()
        let none = EstateReadModel(episodes: [], states: [])
        return try await computeReadModels(nil).values.compactMap { m -> ReadModelMismatch? in
            let have = stored[m.code] ?? none
            return have == m.model ? nil : ReadModelMismatch(code: m.code, stored: have, computed: m.model)
        }.sorted { $0.code < $1.code }
    }

    func readModelNeedsBuild() async throws -> Bool {
        // Every estate with a fact has a state row; an empty table beside facts was never built.
        let empty = try await db.raw("SELECT COUNT(*) AS n FROM (SELECT 1 FROM estate_states LIMIT 1) x").first()?
            .decode(column: "n", as: Int.self) == 0
        let facts = try await db.raw("SELECT COUNT(*) AS n FROM (SELECT 1 FROM management_facts LIMIT 1) x").first()?
            .decode(column: "n", as: Int.self) == 1
        return empty && facts
    }

    static func state(_ code: String) throws -> EstateState {
        guard let s = EstateState(code: code) else { throw StoreError.corruptRow(entity: "estateState", detail: code) }
        return s
    }

    // MARK: reading for coverage and returns

    /// `AND <column> = unit` when a unit is asked for.
    private static func unitClause(_ column: String, _ unit: String?) -> SQLQueryString {
        guard let unit else { return SQLQueryString("") }
        return SQLQueryString(" AND \(unsafeRaw: column) = \(bind: unit)")
    }

    /// `<alias>` holds the state span running on `day`.
    private static func runningOn(_ alias: String, _ day: LocalDate) -> SQLQueryString {
        let d = day.description
        // The end as migration 0013 indexes it, so that only spans ending after `day` are read.
        return SQLQueryString("\(unsafeRaw: alias).start_date <= \(bind: d) AND COALESCE(\(unsafeRaw: alias).end_date, \(unsafeRaw: SQLStore.openEndSQL)) > \(bind: d)")
    }

    func stateCounts(unit: String?, on to: LocalDate) async throws -> [StateCount] {
        // Registered on `to` (Asia/Shanghai) = created before the next day begins there (stored
        // times are fixed-width ISO 8601 UTC, so text order is time order), or with a state span
        // running on `to`, i.e. a recorded fact by then (the domain's rule, `CoverageBasis`).
        let cutoff = AuditChain.timestamp(to.adding(days: 1).startInShanghai)
        // The groups are ordered here, a few hundred of them: asked to order them, PostgreSQL sorts
        // all 20,000 estates to group them instead of hashing them (68 -> 55 ms at city scale).
        return try await db.raw("""
            SELECT e.unit, e.category, COALESCE(s.state, 'unknown') AS state,
                   CASE WHEN e.created_at < \(bind: cutoff) OR s.estate_id IS NOT NULL THEN 1 ELSE 0 END AS registered, COUNT(*) AS n
            FROM estates e LEFT JOIN estate_states s ON s.estate_id = e.id AND \(Self.runningOn("s", to))
            WHERE 1 = 1\(Self.unitClause("e.unit", unit))
            GROUP BY 1, 2, 3, 4
            """).all().map { row in
            StateCount(unit: try row.decode(column: "unit", as: String.self), category: try row.decode(column: "category", as: String.self),
                       state: try row.decode(column: "state", as: String.self),
                       registered: try row.decode(column: "registered", as: Int.self) == 1, count: try row.decode(column: "n", as: Int.self))
        }.sorted { ($0.unit, $0.category, $0.state, $0.registered ? 1 : 0) < ($1.unit, $1.category, $1.state, $1.registered ? 1 : 0) }
    }

    func unmanagedEstates(unit: String?, on to: LocalDate) async throws -> [UnmanagedRow] {
        try await db.raw("""
            SELECT e.unit, e.code, e.name, e.sub_district, e.category, p.start_date
            FROM estate_states s JOIN estates e ON e.id = s.estate_id
            JOIN estate_episodes p ON p.estate_id = s.estate_id AND \(Self.runningOn("p", to))
            WHERE s.state = 'unmanaged' AND \(Self.runningOn("s", to))\(Self.unitClause("s.unit", unit))
            """).all().map { row in
            UnmanagedRow(unit: try row.decode(column: "unit", as: String.self), code: try row.decode(column: "code", as: String.self),
                         name: try row.decode(column: "name", as: String.self), subDistrict: try row.decode(column: "sub_district", as: String.self),
                         category: try row.decode(column: "category", as: String.self),
                         episodeStart: try Self.date(row, "start_date", entity: "estateEpisode"))
        }
    }

    func episodesStarting(unit: String?, from: LocalDate, to: LocalDate) async throws -> [EpisodeRow] {
        // By code, then sequence: the order the floor areas are summed in, the same on every
        // backend (Swift's string order: code point order, as SQLite's and a C-collated
        // PostgreSQL's ORDER BY gave it for the codes' normalised text). Ordered here, not by the
        // database: SQLite's sorter was 5 % of the city roll-up.
        try await db.raw("""
            SELECT e.unit, e.code, e.name, e.sub_district, e.category, e.households, e.floor_area,
                   p.seq, p.start_date, p.end_date, p.ended_by, COALESCE(s.state, 'unknown') AS state
            FROM estate_episodes p JOIN estates e ON e.id = p.estate_id
            LEFT JOIN estate_states s ON s.estate_id = p.estate_id AND \(Self.runningOn("s", to))
            WHERE p.start_date >= \(bind: from.description) AND p.start_date <= \(bind: to.description)\(Self.unitClause("p.unit", unit))
            """).all().map { row in
            (seq: try row.decode(column: "seq", as: Int.self),
             row: EpisodeRow(unit: try row.decode(column: "unit", as: String.self), code: try row.decode(column: "code", as: String.self),
                       name: try row.decode(column: "name", as: String.self), subDistrict: try row.decode(column: "sub_district", as: String.self),
                       category: try row.decode(column: "category", as: String.self), households: try row.decode(column: "households", as: Int.self),
                       floorArea: try row.decode(column: "floor_area", as: Double.self),
                       episode: Episode(start: try Self.date(row, "start_date", entity: "estateEpisode"),
                                        end: try Self.optionalDate(row, "end_date", entity: "estateEpisode"),
                                        endedBy: try row.optional("ended_by", String.self).map { try Self.state($0) }),
                       stateOnLastDay: try row.decode(column: "state", as: String.self)))
        }.sorted { (a: (seq: Int, row: EpisodeRow), b: (seq: Int, row: EpisodeRow)) -> Bool in
            a.row.code == b.row.code ? a.seq < b.seq : a.row.code < b.row.code
        }.map(\.row)
    }

    func searchEstates(_ f: EstateSearchFilter, on day: LocalDate, limit: Int, offset: Int) async throws -> EstateSearchPage {
        // The estates that pass the registry's own filters, each with the state span running on
        // `day` (at most one; none before its first fact), then the state filter on top.
        var q = SQLQueryString("""
            SELECT * FROM (SELECT \(unsafeRaw: Self.estateColumns),
                (SELECT s.state FROM estate_states s WHERE s.estate_id = estates.id AND \(Self.runningOn("s", day))) AS state
              FROM estates WHERE 1 = 1\(Self.unitClause("unit", f.unit))
            """)
        if let text = f.text, !text.isEmpty {
            // A–Z folded on both sides, nothing else; LIKE's own wildcards in the text match literally.
            let folded = String(String.UnicodeScalarView(text.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))
            let pattern = "%" + folded.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            q.appendInterpolation(unsafeRaw: " AND (\(backend.asciiLowercase("code")) LIKE "); q.appendInterpolation(bind: pattern)
            q.appendInterpolation(unsafeRaw: " ESCAPE '\\' OR \(backend.asciiLowercase("name")) LIKE "); q.appendInterpolation(bind: pattern)
            q.appendInterpolation(unsafeRaw: " ESCAPE '\\')")
        }
        if let c = f.category { q.appendInterpolation(unsafeRaw: " AND category = "); q.appendInterpolation(bind: c.rawValue) }
        if let d = f.subDistrict { q.appendInterpolation(unsafeRaw: " AND sub_district = "); q.appendInterpolation(bind: d) }
        if f.highDisputeOnly { q.appendInterpolation(unsafeRaw: " AND high_dispute = "); q.appendInterpolation(bind: true) }
        q.appendInterpolation(unsafeRaw: ") x")
        if let state = f.state {
            q.appendInterpolation(unsafeRaw: state == .unknown ? " WHERE x.state IS NULL" : " WHERE x.state = ")
            if state != .unknown { q.appendInterpolation(bind: state.description) }
        }
        var count = SQLQueryString("SELECT COUNT(*) AS n FROM ("); count.appendInterpolation(q); count.appendInterpolation(unsafeRaw: ") n")
        q.appendInterpolation(unsafeRaw: " ORDER BY x.code LIMIT "); q.appendInterpolation(bind: limit)
        q.appendInterpolation(unsafeRaw: " OFFSET "); q.appendInterpolation(bind: offset)
        let items = try await db.raw(q).all().map { row in
            (estate: try Self.estate(from: row), state: try row.optional("state", String.self).map(Self.state) ?? .unknown)
        }
        let total = try await db.raw(count).first()?.decode(column: "n", as: Int.self) ?? 0
        // Sorted here, not by the database, whose collation may differ between backends.
        let subDistricts = try await db.raw("SELECT DISTINCT sub_district FROM estates WHERE 1 = 1\(Self.unitClause("unit", f.unit))")
            .all().map { try $0.decode(column: "sub_district", as: String.self) }.sorted()
        return EstateSearchPage(items: items, total: total, subDistricts: subDistricts)
    }

    func arrangementsEnding(unit: String?, after: LocalDate, through: LocalDate) async throws -> [Arrangement] {
        // A superset of "approved, running on `after`, ending in (after, through]": the caller
        // applies the domain's own test (`Arrangement.coverage`). Each end's window is a range of
        // its own so that migration 0014's index on each end answers it (an OR of two ranges).
        let (e, t) = (after.description, through.description)
        return try await db.raw("""
            SELECT \(unsafeRaw: Self.arrangementColumns) FROM arrangements a
            WHERE a.status IN ('active', 'ended', 'terminated') AND a.start_date <= \(bind: e)
              AND (a.planned_end IS NULL OR a.planned_end > \(bind: e)) AND (a.ended_on IS NULL OR a.ended_on > \(bind: e))
              AND ((a.planned_end > \(bind: e) AND a.planned_end <= \(bind: t)) OR (a.ended_on > \(bind: e) AND a.ended_on <= \(bind: t)))\(Self.unitClause("a.unit", unit))
            ORDER BY a.start_date, a.id
            """).all().map(Self.arrangement(from:))
    }
}
