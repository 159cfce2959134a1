/// The rule a refused change broke: the `rule` of a 409 problem (and `retry` of a 503), the word
/// in the CLI's 拒绝（…）. The contract's enum for `Problem.rule` lists exactly these cases.
public enum RefusalRule: String, Sendable, CaseIterable, Codable {
    case biddingClosed, bootstrapDone, capacity, duplicate, fourEyes, frozen, ineligible, noInvitees, notEmpty, notInvited
    case notUnmanaged, ocdsExport, overlap, quarterOpen, replaces, retry, roundClosed, selfDeactivation, state, status
    case termBeforeAward, tooFewBids
}
