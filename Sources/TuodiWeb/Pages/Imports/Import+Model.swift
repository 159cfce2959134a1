import Foundation
import TuodiApp
import TuodiDomain
import TuodiLabels

/// 导入: choose what to import and a file (XLSX or CSV); a dry run lists every problem by row
/// and column in Chinese and writes nothing; a clean dry run offers the import itself.
struct ImportPage: PageModel {
    static let template = "import"

    struct Kind: Sendable {
        let value: String
        let label: String
        let checked: Bool
        let templateHref: String
    }

    struct RowError: Sendable {
        let row: String
        let column: String
        let message: String
    }

    /// The outcome of a dry run (or of a refused import).
    struct Result: Sendable {
        let kindLabel: String
        let fileName: String
        let rowsRead: String
        let problems: [RowError]
        let more: String?
        let aliases: [String]
        let hasProblems: Bool
        let hasAliases: Bool
        /// A clean dry run: the form that imports the checked file.
        let confirmAction: String?
        let uploadID: String?
    }

    let chrome: Chrome
    let action: String
    let csrf: String
    let kinds: [Kind]
    let result: Result?
    let notice: String?
    let errors: ErrorSummary?

    static let action = "/imports"

    /// The kinds the caller may import, in the page's order.
    static func allowedKinds(for caller: Caller) -> [String] {
        let operations: [String: Action] = ["estates": .estateImport, "companies": .companyImport, "facts": .factImport]
        return ImportUseCases.templateKinds.filter { kind in
            operations[kind].map { Authorization.decide($0, actor: caller, unit: caller.unit) == .allowed } ?? false
        }
    }

    init(session: WebSession, chosen: String?, report: ImportReport? = nil, fileName: String = "", uploadID: String? = nil,
         notice: String? = nil, errors: FormErrors? = nil) {
        chrome = .signedIn(session, title: "导入", section: .imports)
        action = Self.action
        csrf = session.csrf
        let allowed = Self.allowedKinds(for: session.caller)
        let chosen = chosen ?? allowed.first
        kinds = allowed.map { Kind(value: $0, label: Labels.importKinds[$0], checked: $0 == chosen, templateHref: "/imports/templates/\($0).xlsx") }
        result = report.map { r in
            Result(kindLabel: Labels.importKinds[r.kind], fileName: fileName, rowsRead: "\(r.rowsRead) 行",
                   problems: r.errors.map { RowError(row: $0.row > 0 ? "第 \($0.row) 行" : "表头", column: $0.column, message: $0.message) },
                   more: r.errorCount > r.errors.count ? "共 \(r.errorCount) 处问题（\(r.errorRowCount) 行），以上为前 \(r.errors.count) 处。" : nil,
                   aliases: r.aliasesApplied.map { "第 \($0.row) 行：旧区划代码 \($0.legacyCode) 已按别名表改为 \($0.currentCode)（\($0.note)）" },
                   hasProblems: !r.errors.isEmpty, hasAliases: !r.aliasesApplied.isEmpty,
                   confirmAction: r.succeeded && uploadID != nil ? "/imports/confirm" : nil, uploadID: r.succeeded ? uploadID : nil)
        }
        self.notice = notice
        self.errors = ErrorSummary(errors)
    }
}
