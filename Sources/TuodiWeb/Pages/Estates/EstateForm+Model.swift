import TuodiApp
import TuodiDomain
import TuodiLabels

/// 登记小区: a new estate of the clerk's own unit, with the same rules as the API and the import.
struct EstateFormPage: PageModel {
    static let template = "estate_form"

    struct Field: Sendable {
        let name: String
        let label: String
        let value: String
        let hint: String?
        let error: String?
    }

    let chrome: Chrome
    let csrf: String
    let unitName: String
    let fields: [Field]
    let categories: [Option]
    let highDispute: Bool
    let errors: ErrorSummary?

    /// The text fields in form order: name, label, hint.
    static let textFields: [(String, String, String?)] = [
        ("code", "小区编码", "本区内唯一，例如 HP-0101"), ("name", "小区名称", nil), ("address", "地址", nil),
        ("subDistrict", "街道（镇）", nil), ("households", "户数", nil), ("buildings", "幢数", nil),
        ("floorArea", "建筑面积（㎡）", nil), ("yearBuilt", "建成年份（可不填）", nil),
    ]

    init(session: WebSession, form: FormData?, errors: FormErrors? = nil) {
        chrome = .signedIn(session, title: "登记小区", section: .estates)
        csrf = session.csrf
        unitName = session.caller.unit.flatMap { ReportingUnit.named($0)?.name } ?? ""
        let summary = ErrorSummary(errors)
        fields = Self.textFields.map { Field(name: $0.0, label: $0.1, value: form?.raw($0.0) ?? "", hint: $0.2, error: summary?.fields[$0.0]) }
        categories = Option.list(Labels.categories, selected: form?["category"], any: "请选择")
        highDispute = form?["highDispute"] == "1"
        self.errors = summary
    }

    /// A district clerk registers in their own unit; the use case checks it all.
    static func draft(_ form: FormData, unit: String) -> EstateDraft {
        EstateDraft(code: form["code"] ?? "", name: form["name"] ?? "", address: form["address"] ?? "", unit: unit,
                    subDistrict: form["subDistrict"] ?? "", category: form["category"] ?? "", highDispute: form["highDispute"] == "1",
                    households: form["households"] ?? "", buildings: form["buildings"] ?? "", floorArea: form["floorArea"] ?? "",
                    yearBuilt: form["yearBuilt"])
    }
}
