import TuodiApp
import TuodiDomain
import TuodiLabels

/// The published pre-selection pools, no login: an index of the 17 units, and one unit's roster.
struct PublicIndexPage: PageModel {
    static let template = "public_index"

    struct Unit: Sendable {
        let name: String
        let code: String
        let href: String
    }

    let chrome = Chrome.signedOut(title: "临时物业服务企业预选库公示")
    let units: [Unit] = ReportingUnit.all.map { Unit(name: $0.name, code: $0.code, href: link("/public/pool", [("district", $0.code)])) }
}

struct PublicPoolPage: PageModel {
    static let template = "public_pool"

    struct Member: Sendable {
        let company: String
        let uscc: String
        let term: String
        let districtGroup: String
    }

    let chrome: Chrome
    let unitName: String
    let asOf: String
    let members: [Member]

    init(unit: ReportingUnit, asOf: LocalDate, members: [PublicPoolMember]) {
        chrome = .signedOut(title: "\(unit.name)临时物业服务企业预选库")
        unitName = unit.name
        self.asOf = asOf.description
        self.members = members.map {
            Member(company: $0.companyName, uscc: $0.uscc, term: "\($0.start) 至 \($0.end)", districtGroup: Labels.yesNo($0.districtGroup))
        }
    }
}
