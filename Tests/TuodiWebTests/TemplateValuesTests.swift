import Mustache
import Testing
import TuodiDomain
@testable import TuodiWeb

/// Pages render from dictionaries made once from the page model instead of reflecting the model
/// at every `{{name}}`; the output must be what swift-mustache makes of the model itself.
@Suite("template values")
struct TemplateValuesTests {
    struct Row { let code: String; let note: String?; let days: Int; let late: Bool }
    struct Box { let title: String; let rows: [Row]; let empty: [Row] }
    enum Kind { case custody, ownerSelf }
    struct Page {
        let day: LocalDate
        let kind: Kind
        let nested: String??
        let title: String
        let note: String
        let box: Box?
        let missing: Box?
        let rate: Double
        let fields: [String: String]
        let tags: [String]
        let maybe: String?
    }

    static let template = """
        {{title}}|{{#box}}[{{title}}]{{#rows}}<{{code}} {{note}} {{days}}{{#late}} late{{/late}}{{^late}} ok{{/late}}>{{/rows}}\
        {{^empty}}none{{/empty}}{{/box}}{{#missing}}never{{/missing}}{{^missing}}no box{{/missing}}|{{rate}}|\
        {{fields.date}}|{{#tags}}({{.}}){{/tags}}|{{maybe}}{{^maybe}}nil{{/maybe}}|{{box.rows.0.code}}|{{day}}|{{kind}}|{{#nested}}有{{/nested}}
        """

    static let page = Page(
        day: LocalDate(year: 2026, month: 12, day: 4)!, kind: .ownerSelf, nested: .some("x"),
        title: "工作台", note: "页面备注",
        box: Box(title: "有风险", rows: [Row(code: "A<1>", note: "已催办", days: 12, late: true),
                                        Row(code: "B", note: nil, days: 3, late: false)], empty: []),
        missing: nil, rate: 0.5, fields: ["date": "日期有误"], tags: ["甲", "乙"], maybe: nil)

    @Test("renders exactly as the reflected model does, a nil field climbing to its parent's value included")
    func sameOutput() throws {
        let library = MustacheLibrary(templates: ["t": try MustacheTemplate(string: Self.template)])
        let reflected = try #require(library.render(Self.page, withTemplate: "t"))
        let converted = try #require(library.render(TemplateValues.convert(Self.page) as Any, withTemplate: "t"))
        #expect(converted == reflected)
        // The second row has no note of its own, so the page's note shows, as mustache specifies.
        #expect(converted.contains("<B 页面备注 3 ok>"))
        #expect(converted.contains("&lt;1&gt;"), "still escaped")
        #expect(converted.contains("|2026-12-04|ownerSelf|有"), "a date and an enum render by their description")
    }

    @Test("a model becomes nested dictionaries and arrays; nil fields are left out")
    func shape() throws {
        let value = try #require(TemplateValues.convert(Self.page) as? [String: Any])
        #expect(value["missing"] == nil && value["maybe"] == nil)
        let box = try #require(value["box"] as? [String: Any])
        let rows = try #require(box["rows"] as? [Any])
        #expect(rows.count == 2)
        #expect((rows[1] as? [String: Any])?["code"] as? String == "B")
        #expect((rows[1] as? [String: Any])?["note"] == nil)
        #expect(value["fields"] as? [String: String] == ["date": "日期有误"])
    }
}
