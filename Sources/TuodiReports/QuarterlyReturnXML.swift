import TuodiDomain
import TuodiLabels

// The quarterly return as XML in namespace urn:tuodi:quarterly-return:1, valid against
// reports/quarterly-return.xsd. Element names are the Swift field names; a nil figure is an
// absent element; lists are always written, possibly empty. Codes the schema enumerates are
// checked here first, so a return the schema would reject is refused with a named error
// instead of being written out invalid.

/// Why a return could not be rendered. Only the XML refuses, for codes its schema enumerates.
public enum QuarterlyReturnRenderError: Error, Equatable, Sendable {
    /// A code (category, state, kind, status) the schema does not know; `field` is its path.
    case unknownCode(field: String, value: String)
    /// A by-key count list without exactly one count for each known key.
    case incompleteCounts(field: String, expected: [String], found: [String])
}

enum QuarterlyReturnXML {
    static let namespace = "urn:tuodi:quarterly-return:1"

    static func render(_ r: QuarterlyReturn) throws(QuarterlyReturnRenderError) -> [UInt8] {
        let x = XMLWriter()
        x.out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        try x.element("quarterlyReturn", attributes: [("xmlns", namespace)]) { () throws(QuarterlyReturnRenderError) in
            x.leaf("unit", r.unit)
            x.leaf("unitName", r.unitName)
            x.leaf("year", String(r.year))
            x.leaf("quarter", String(r.quarter))
            x.leaf("quarterStart", r.quarterStart.description)
            x.leaf("yearStart", r.yearStart.description)
            x.leaf("asOf", r.asOf.description)
            pool(x, r.pool)
            try estates(x, r.estates)
            try newlyUnmanaged(x, r.newlyUnmanaged)
            try yearToDateState(x, r.yearToDateState)
            coverage(x, r.coverage)
            daysToCover(x, r.daysToCover)
            try stillUnmanaged(x, r.stillUnmanaged)
            try endingSoon(x, r.endingSoon)
            try selectionRounds(x, r.selectionRounds)
            try byUnit(x, r.byUnit)
            restatements(x, r.restatements)
        }
        return Array(x.out.utf8)
    }

    private static func pool(_ x: XMLWriter, _ p: QuarterlyReturn.Pool) {
        x.element("pool") {
            x.leaf("active", String(p.active))
            x.leaf("activeDistrictGroup", String(p.activeDistrictGroup))
            x.leaf("admittedInQuarter", String(p.admittedInQuarter))
            x.leaf("removedOrExpiredInQuarter", String(p.removedOrExpiredInQuarter))
            x.element("members") {
                for m in p.members {
                    x.element("member") {
                        x.leaf("uscc", m.uscc)
                        x.leaf("name", m.name)
                        x.leaf("districtGroup", m.districtGroup ? "true" : "false")
                        x.leaf("start", m.start.description)
                        x.leaf("end", m.end.description)
                        x.leaf("capacityEstates", String(m.capacityEstates))
                    }
                }
            }
        }
    }

    private static func estates(_ x: XMLWriter, _ e: QuarterlyReturn.Estates) throws(QuarterlyReturnRenderError) {
        try x.element("estates") { () throws(QuarterlyReturnRenderError) in
            x.leaf("registered", String(e.registered))
            try counts(x, "byCategory", e.byCategory, Labels.categories, field: "estates.byCategory")
            try counts(x, "byState", e.byState, Labels.states, field: "estates.byState")
        }
    }

    private static func newlyUnmanaged(_ x: XMLWriter, _ n: QuarterlyReturn.NewlyUnmanaged) throws(QuarterlyReturnRenderError) {
        try x.element("newlyUnmanaged") { () throws(QuarterlyReturnRenderError) in
            x.leaf("inQuarter", String(n.inQuarter))
            x.leaf("yearToDate", String(n.yearToDate))
            try x.element("estates") { () throws(QuarterlyReturnRenderError) in
                for e in n.estates {
                    try x.element("estate") { () throws(QuarterlyReturnRenderError) in
                        x.leaf("code", e.code)
                        x.leaf("name", e.name)
                        x.leaf("category", try code(e.category, Labels.categories, field: "newlyUnmanaged.estates.category"))
                        x.leaf("households", String(e.households))
                        x.leaf("floorArea", ReturnText.decimal(e.floorArea))
                        x.leaf("episodeStart", e.episodeStart.description)
                        x.leaf("stateOnAsOf", try code(e.stateOnAsOf, Labels.states, field: "newlyUnmanaged.estates.stateOnAsOf"))
                        if let days = e.daysToCover { x.leaf("daysToCover", String(days)) }
                    }
                }
            }
        }
    }

    private static func yearToDateState(_ x: XMLWriter, _ s: QuarterlyReturn.YearToDateState) throws(QuarterlyReturnRenderError) {
        try x.element("yearToDateState") { () throws(QuarterlyReturnRenderError) in
            x.leaf("covered", String(s.covered))
            try counts(x, "byKind", s.byKind, Labels.coveredStates, field: "yearToDateState.byKind")
            x.leaf("stillUnmanaged", String(s.stillUnmanaged))
        }
    }

    private static func coverage(_ x: XMLWriter, _ c: QuarterlyReturn.Coverage) {
        x.element("coverage") {
            for (name, rate) in [("estates", c.estates), ("households", c.households), ("floorArea", c.floorArea)] {
                x.element(name) {
                    x.leaf("numerator", ReturnText.decimal(rate.numerator))
                    x.leaf("denominator", ReturnText.decimal(rate.denominator))
                    if let value = rate.rate { x.leaf("rate", ReturnText.decimal(value)) }
                }
            }
        }
    }

    private static func daysToCover(_ x: XMLWriter, _ d: QuarterlyReturn.DaysToCover) {
        x.element("daysToCover") {
            x.leaf("episodes", String(d.episodes))
            if let median = d.median { x.leaf("median", ReturnText.decimal(median)) }
            if let maximum = d.maximum { x.leaf("maximum", String(maximum)) }
        }
    }

    private static func stillUnmanaged(_ x: XMLWriter, _ list: [QuarterlyReturn.UnmanagedEstate]) throws(QuarterlyReturnRenderError) {
        try x.element("stillUnmanaged") { () throws(QuarterlyReturnRenderError) in
            for e in list {
                try x.element("estate") { () throws(QuarterlyReturnRenderError) in
                    x.leaf("unit", e.unit)
                    x.leaf("code", e.code)
                    x.leaf("name", e.name)
                    x.leaf("subDistrict", e.subDistrict)
                    x.leaf("category", try code(e.category, Labels.categories, field: "stillUnmanaged.category"))
                    x.leaf("episodeStart", e.episodeStart.description)
                    x.leaf("daysUnmanaged", String(e.daysUnmanaged))
                    x.leaf("daysLeftInYear", String(e.daysLeftInYear))
                }
            }
        }
    }

    private static func endingSoon(_ x: XMLWriter, _ list: [QuarterlyReturn.EndingArrangement]) throws(QuarterlyReturnRenderError) {
        try x.element("endingSoon") { () throws(QuarterlyReturnRenderError) in
            for a in list {
                try x.element("arrangement") { () throws(QuarterlyReturnRenderError) in
                    x.leaf("id", String(a.id))
                    x.leaf("unit", a.unit)
                    x.leaf("estateCode", a.estateCode)
                    x.leaf("kind", try code(a.kind, Labels.kinds, field: "endingSoon.kind"))
                    x.leaf("provider", a.provider)
                    x.leaf("start", a.start.description)
                    x.leaf("end", a.end.description)
                }
            }
        }
    }

    private static func selectionRounds(_ x: XMLWriter, _ s: QuarterlyReturn.SelectionRounds) throws(QuarterlyReturnRenderError) {
        try x.element("selectionRounds") { () throws(QuarterlyReturnRenderError) in
            x.leaf("finished", String(s.finished))
            x.leaf("failed", String(s.failed))
            try x.element("rounds") { () throws(QuarterlyReturnRenderError) in
                for round in s.rounds {
                    try x.element("round") { () throws(QuarterlyReturnRenderError) in
                        x.leaf("id", String(round.id))
                        x.leaf("unit", round.unit)
                        x.leaf("title", round.title)
                        x.leaf("status", try code(round.status, Labels.finishedRoundStatuses, field: "selectionRounds.rounds.status"))
                        x.leaf("finishedOn", round.finishedOn.description)
                    }
                }
            }
        }
    }

    private static func byUnit(_ x: XMLWriter, _ rows: [QuarterlyReturn.UnitRow]) throws(QuarterlyReturnRenderError) {
        try x.element("byUnit") { () throws(QuarterlyReturnRenderError) in
            for u in rows {
                try x.element("unitRow") { () throws(QuarterlyReturnRenderError) in
                    x.leaf("unit", u.unit)
                    x.leaf("unitName", u.unitName)
                    x.leaf("activeMembers", String(u.activeMembers))
                    x.leaf("registeredEstates", String(u.registeredEstates))
                    x.leaf("newlyUnmanagedInQuarter", String(u.newlyUnmanagedInQuarter))
                    x.leaf("newlyUnmanagedYearToDate", String(u.newlyUnmanagedYearToDate))
                    x.leaf("coveredYearToDate", String(u.coveredYearToDate))
                    if let rate = u.coverageRate { x.leaf("coverageRate", ReturnText.decimal(rate)) }
                    x.leaf("stillUnmanaged", String(u.stillUnmanaged))
                    x.leaf("returnStatus", try code(u.returnStatus, Labels.returnStatuses, field: "byUnit.returnStatus"))
                }
            }
        }
    }

    private static func restatements(_ x: XMLWriter, _ list: [QuarterlyReturn.Restatement]) {
        x.element("restatements") {
            for s in list {
                x.element("restatement") {
                    x.leaf("year", String(s.year))
                    x.leaf("quarter", String(s.quarter))
                    x.leaf("figure", s.figure)
                    if let submitted = s.submitted { x.leaf("submitted", ReturnText.decimal(submitted)) }
                    if let now = s.now { x.leaf("now", ReturnText.decimal(now)) }
                }
            }
        }
    }

    // MARK: - Checked codes

    /// `value` if the schema enumerates it.
    private static func code(_ value: String, _ known: KeyedLabels, field: String) throws(QuarterlyReturnRenderError) -> String {
        guard known.contains(value) else { throw .unknownCode(field: field, value: value) }
        return value
    }

    /// `<name><count key="…">n</count>…</name>`: the schema wants each known key exactly once.
    private static func counts(
        _ x: XMLWriter, _ name: String, _ items: [KeyCount], _ known: KeyedLabels, field: String
    ) throws(QuarterlyReturnRenderError) {
        for item in items where !known.contains(item.key) { throw .unknownCode(field: field, value: item.key) }
        guard items.map(\.key).sorted() == known.codes.sorted() else {
            throw .incompleteCounts(field: field, expected: known.codes, found: items.map(\.key))
        }
        x.element(name) {
            for item in items { x.leaf("count", String(item.count), attributes: [("key", item.key)]) }
        }
    }
}

/// Indented XML text, two spaces a level. A class so nested closures can all append to it.
private final class XMLWriter {
    var out = ""
    private var depth = 0

    func element<E: Error>(_ name: String, attributes: [(String, String)] = [], _ body: () throws(E) -> Void) throws(E) {
        let open = indent + "<" + name + Self.attributes(attributes)
        out += open + ">\n"
        let mark = out.endIndex
        depth += 1
        try body()
        depth -= 1
        if out.endIndex == mark {
            // Nothing inside (an empty list): one self-closing tag.
            out.removeLast(2)
            out += "/>\n"
        } else {
            out += indent + "</" + name + ">\n"
        }
    }

    func leaf(_ name: String, _ text: String, attributes: [(String, String)] = []) {
        out += indent + "<" + name + Self.attributes(attributes) + ">" + ReturnText.xml(text) + "</" + name + ">\n"
    }

    private var indent: String { String(repeating: "  ", count: depth) }

    private static func attributes(_ list: [(String, String)]) -> String {
        list.map { " \($0.0)=\"\(ReturnText.xml($0.1))\"" }.joined()
    }
}
