import Foundation
import Hummingbird
import Mustache

/// A page's data, ready for its template: plain values, labels already in Chinese, dates and
/// figures already written out. Templates only place them (and escape them).
protocol PageModel: Sendable {
    /// The template's name in `Templates` (file name without `.mustache`).
    static var template: String { get }
    var chrome: Chrome { get }
}

/// The templates and the stylesheet, compiled into the binary (SwiftPM `embedInCode` cannot
/// list a folder, so each file is named here; `TemplateCatalogTests` fails when one is missing).
enum Templates {
    static let files: [String: [UInt8]] = [
        "layout": PackageResources.layout_mustache,
        "error_summary": PackageResources.error_summary_mustache,
        "bar_chart": PackageResources.bar_chart_mustache,
        "pager": PackageResources.pager_mustache,
        "error": PackageResources.error_mustache,
        "login": PackageResources.login_mustache,
        "dashboard": PackageResources.dashboard_mustache,
        "estate_list": PackageResources.estate_list_mustache,
        "estate": PackageResources.estate_mustache,
        "estate_form": PackageResources.estate_form_mustache,
        "fact_form": PackageResources.fact_form_mustache,
        "fact_fields": PackageResources.fact_fields_mustache,
        "correct_form": PackageResources.correct_form_mustache,
        "candidates": PackageResources.candidates_mustache,
        "arrangement_form": PackageResources.arrangement_form_mustache,
        "arrangement": PackageResources.arrangement_mustache,
        "audit": PackageResources.audit_mustache,
        "application": PackageResources.application_mustache,
        "public_index": PackageResources.public_index_mustache,
        "public_pool": PackageResources.public_pool_mustache,
        "return": PackageResources.return_mustache,
        "users": PackageResources.users_mustache,
        "coverage": PackageResources.coverage_mustache,
        "selection_list": PackageResources.selection_list_mustache,
        "selection_form": PackageResources.selection_form_mustache,
        "selection": PackageResources.selection_mustache,
        "import": PackageResources.import_mustache,
        "matching_list": PackageResources.matching_list_mustache,
        "matching": PackageResources.matching_mustache,
        "roster": PackageResources.roster_mustache,
        "pool_rounds": PackageResources.pool_rounds_mustache,
        "pool_round": PackageResources.pool_round_mustache,
        "pool_settings": PackageResources.pool_settings_mustache,
    ]

    /// Parsed once; a template that does not parse stops the server at start-up (and fails a test).
    static func library() throws -> MustacheLibrary {
        var templates: [String: MustacheTemplate] = [:]
        for (name, bytes) in files { templates[name] = try MustacheTemplate(string: String(decoding: bytes, as: UTF8.self)) }
        return MustacheLibrary(templates: templates)
    }

    static let stylesheet: [UInt8] = PackageResources.tuodi_css
    static let icon: [UInt8] = PackageResources.favicon_svg
}

/// Renders page models into responses.
struct Views: Sendable {
    let library: MustacheLibrary

    init() throws { library = try Templates.library() }

    func html<M: PageModel>(_ model: M) -> String {
        // A template missing from the library is a programming error that the catalog test catches.
        library.render(TemplateValues.convert(model) ?? model, withTemplate: M.template) ?? ""
    }

    func response<M: PageModel>(_ model: M, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: html(model))))
    }
}

/// 303 See Other: after a post, the browser fetches the result with GET (post/redirect/get).
func redirect(_ location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location])
}
