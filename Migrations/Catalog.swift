// The SQL files of this folder, compiled into the binary (SwiftPM `embedInCode`).
//
// SwiftPM embeds each file as a byte array but cannot list a folder, so every new file must be
// named here too. `MigrationCatalogTests` fails when a file on disk is missing from this list.

/// One embedded migration file: its file name without `.DIALECT.sql`, and its bytes.
public struct EmbeddedMigrationFile: Sendable {
    public let name: String
    public let bytes: [UInt8]
}

/// The embedded migration files per dialect, in version order.
public enum EmbeddedMigrations {
    public static let sqlite: [EmbeddedMigrationFile] = [
        .init(name: "0001_foundation", bytes: PackageResources._001_foundation_sqlite_sql),
        .init(name: "0002_identity_audit", bytes: PackageResources._002_identity_audit_sqlite_sql),
        .init(name: "0003_company_contact", bytes: PackageResources._003_company_contact_sqlite_sql),
        .init(name: "0004_estates", bytes: PackageResources._004_estates_sqlite_sql),
        .init(name: "0005_pool", bytes: PackageResources._005_pool_sqlite_sql),
        .init(name: "0006_arrangements", bytes: PackageResources._006_arrangements_sqlite_sql),
        .init(name: "0007_match_proposals", bytes: PackageResources._007_match_proposals_sqlite_sql),
        .init(name: "0008_quarterly_returns", bytes: PackageResources._008_quarterly_returns_sqlite_sql),
        .init(name: "0009_recorded_admissions", bytes: PackageResources._009_recorded_admissions_sqlite_sql),
        .init(name: "0010_recorded_arrangements", bytes: PackageResources._010_recorded_arrangements_sqlite_sql),
        .init(name: "0011_episode_read_model", bytes: PackageResources._011_episode_read_model_sqlite_sql),
        .init(name: "0012_arrangement_provider_end", bytes: PackageResources._012_arrangement_provider_end_sqlite_sql),
        .init(name: "0013_read_model_running_spans", bytes: PackageResources._013_read_model_running_spans_sqlite_sql),
        .init(name: "0014_report_lookups", bytes: PackageResources._014_report_lookups_sqlite_sql),
        .init(name: "0015_state_on_a_day_from_the_index", bytes: PackageResources._015_state_on_a_day_from_the_index_sqlite_sql),
    ]

    public static let postgres: [EmbeddedMigrationFile] = [
        .init(name: "0001_foundation", bytes: PackageResources._001_foundation_postgres_sql),
        .init(name: "0002_identity_audit", bytes: PackageResources._002_identity_audit_postgres_sql),
        .init(name: "0003_company_contact", bytes: PackageResources._003_company_contact_postgres_sql),
        .init(name: "0004_estates", bytes: PackageResources._004_estates_postgres_sql),
        .init(name: "0005_pool", bytes: PackageResources._005_pool_postgres_sql),
        .init(name: "0006_arrangements", bytes: PackageResources._006_arrangements_postgres_sql),
        .init(name: "0007_match_proposals", bytes: PackageResources._007_match_proposals_postgres_sql),
        .init(name: "0008_quarterly_returns", bytes: PackageResources._008_quarterly_returns_postgres_sql),
        .init(name: "0009_recorded_admissions", bytes: PackageResources._009_recorded_admissions_postgres_sql),
        .init(name: "0010_recorded_arrangements", bytes: PackageResources._010_recorded_arrangements_postgres_sql),
        .init(name: "0011_episode_read_model", bytes: PackageResources._011_episode_read_model_postgres_sql),
        .init(name: "0012_arrangement_provider_end", bytes: PackageResources._012_arrangement_provider_end_postgres_sql),
        .init(name: "0013_read_model_running_spans", bytes: PackageResources._013_read_model_running_spans_postgres_sql),
        .init(name: "0014_report_lookups", bytes: PackageResources._014_report_lookups_postgres_sql),
        .init(name: "0015_state_on_a_day_from_the_index", bytes: PackageResources._015_state_on_a_day_from_the_index_postgres_sql),
    ]
}
