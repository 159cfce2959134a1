import Foundation

/// A quarterly return as stored: the snapshot (the return's JSON as drafted and approved) and
/// the steps of its workflow. Once `submitted`, the database refuses any change to the row.
public struct StoredReturn: Equatable, Sendable {
    public enum Status: String, Sendable, Codable { case draft, approved, submitted }

    public let id: Int
    public let unit: String
    public let year: Int
    public let quarter: Int
    public var status: Status
    public var snapshotJSON: String
    /// SHA-256 (hex) of `snapshotJSON`'s UTF-8 bytes.
    public var snapshotSHA256: String
    public var draftedBy: String
    public var draftedAt: String
    public var approvedBy: String?
    public var approvedAt: String?
    public var submittedBy: String?
    public var submittedAt: String?

    public init(id: Int, unit: String, year: Int, quarter: Int, status: Status, snapshotJSON: String, snapshotSHA256: String,
                draftedBy: String, draftedAt: String, approvedBy: String? = nil, approvedAt: String? = nil,
                submittedBy: String? = nil, submittedAt: String? = nil) {
        self.id = id; self.unit = unit; self.year = year; self.quarter = quarter; self.status = status
        self.snapshotJSON = snapshotJSON; self.snapshotSHA256 = snapshotSHA256; self.draftedBy = draftedBy; self.draftedAt = draftedAt
        self.approvedBy = approvedBy; self.approvedAt = approvedAt; self.submittedBy = submittedBy; self.submittedAt = submittedAt
    }
}

/// How far a unit's return for one quarter has got: the workflow without the snapshot.
public struct ReturnStage: Equatable, Sendable {
    public var status: StoredReturn.Status
    public var submittedAt: String?

    public init(status: StoredReturn.Status, submittedAt: String?) { self.status = status; self.submittedAt = submittedAt }
}
