import Crypto
import Foundation
import Hummingbird
import TuodiApp
import TuodiDomain
import TuodiReports

/// Files that passed a dry run, held until the person confirms the import (or for 30 minutes),
/// so the confirmation needs no second upload. Each belongs to the session that uploaded it;
/// only the newest few are kept.
actor UploadStash {
    struct Upload: Sendable {
        let owner: String
        let kind: String
        let fileName: String
        let bytes: [UInt8]
        let expires: Date
    }

    static let lifetime: TimeInterval = 30 * 60
    static let capacity = 16
    /// Bytes held at most: sixteen uploads at the 50 MB cap would be 800 MB of server memory.
    static let byteBudget = 120 * 1024 * 1024
    private var uploads: [(id: String, upload: Upload)] = []

    func put(_ upload: Upload) -> String {
        let id = CSRF.random()
        uploads.removeAll { $0.upload.expires < Date() }
        uploads.append((id, upload))
        // The oldest go first, until both the count and the bytes are within bounds.
        while uploads.count > Self.capacity || (uploads.count > 1 && heldBytes > Self.byteBudget) { uploads.removeFirst() }
        return id
    }

    var heldBytes: Int { uploads.reduce(0) { $0 + $1.upload.bytes.count } }
    var count: Int { uploads.count }

    /// The upload, once: taking it removes it.
    func take(_ id: String, owner: String) -> Upload? {
        guard let i = uploads.firstIndex(where: { $0.id == id && $0.upload.owner == owner && $0.upload.expires >= Date() }) else { return nil }
        return uploads.remove(at: i).upload
    }

    /// Who owns an upload: a hash of the session token, never the token itself.
    static func owner(_ session: WebSession) -> String {
        Data(SHA256.hash(data: Array(session.token.utf8))).base64EncodedString()
    }
}

/// A spreadsheet upload may be larger than a form (the same limit as the API's imports).
let maximumUploadBytes = 50 * 1024 * 1024

extension WebApp {
    func registerImports(on web: RouterGroup<Context>) {
        page(web, "/imports") { r in
            guard !ImportPage.allowedKinds(for: r.caller).isEmpty else { throw RouteNotFound() }
            let notice = r.query["done"] == "imported" ? "已导入 \(r.query["rows"] ?? "0") 行。" : nil
            return views.response(ImportPage(session: r.session, chosen: r.query["kind"], notice: notice))
        }

        page(web, "/imports/templates/:file") { r in
            let file = try r.parameter("file")
            guard file.hasSuffix(".xlsx") else { throw RouteNotFound() }
            let kind = String(file.dropLast(".xlsx".count))
            guard ImportPage.allowedKinds(for: r.caller).contains(kind), let rows = ImportUseCases.template(kind: kind) else { throw RouteNotFound() }
            return Response(status: .ok, headers: [
                .contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                .contentDisposition: "attachment; filename=\"tuodi-\(kind)-template.xlsx\"",
            ], body: .init(byteBuffer: ByteBuffer(bytes: TemplateWorkbook.xlsx(sheet: "导入模板", rows: rows))))
        }

        // The dry run: a multipart upload, checked as a whole; nothing is written.
        web.post("/imports") { request, _ in
            guard let session = try await session(request) else { return redirect("/login") }
            guard let boundary = request.headers[.contentType].flatMap(MultipartForm.boundary(contentType:)) else { throw CSRFRejected() }
            let body = try await request.body.collect(upTo: maximumUploadBytes)
            guard let form = MultipartForm(body: Array(body.readableBytesView), boundary: boundary),
                  CSRF.matches(form[CSRF.field], session.csrf) else { throw CSRFRejected() }
            let kind = form["kind"] ?? ""
            guard ImportPage.allowedKinds(for: session.caller).contains(kind) else {
                guard !ImportPage.allowedKinds(for: session.caller).isEmpty else { throw RouteNotFound() }
                return views.response(ImportPage(session: session, chosen: nil, errors: FormErrors(AppError.validation([
                    FieldError(field: "kind", code: "required", message: "请选择导入的内容")]))), status: .unprocessableContent)
            }
            guard let file = form.file("file"), !file.bytes.isEmpty else {
                return views.response(ImportPage(session: session, chosen: kind, errors: FormErrors(AppError.validation([
                    FieldError(field: "file", code: "required", message: "请选择要导入的 XLSX 或 CSV 文件")]))), status: .unprocessableContent)
            }
            do {
                let report = try await runImport(kind: kind, bytes: file.bytes, fileName: file.fileName, dryRun: true, by: session.caller)
                var id: String?
                if report.succeeded {
                    id = await uploads.put(.init(owner: UploadStash.owner(session), kind: kind, fileName: file.fileName ?? "",
                                                 bytes: file.bytes, expires: Date().addingTimeInterval(UploadStash.lifetime)))
                }
                return views.response(ImportPage(session: session, chosen: kind, report: report, fileName: file.fileName ?? "", uploadID: id),
                                      status: report.succeeded ? .ok : .unprocessableContent)
            } catch let error where FormErrors(error) != nil {
                return views.response(ImportPage(session: session, chosen: kind, errors: FormErrors(error)), status: .unprocessableContent)
            }
        }

        // The import itself, of the file the dry run checked (checked again: all rows or none).
        form(web, "/imports/confirm") { r in
            guard let id = r.form["upload"], let upload = await uploads.take(id, owner: UploadStash.owner(r.session)) else {
                return views.response(ImportPage(session: r.session, chosen: nil, errors: FormErrors(AppError.validation([
                    FieldError(field: "file", code: "expired", message: "检查过的文件已过期或已导入，请重新选择文件检查")]))),
                                      status: .unprocessableContent)
            }
            do {
                let report = try await runImport(kind: upload.kind, bytes: upload.bytes, fileName: upload.fileName, dryRun: false, by: r.caller)
                guard report.succeeded else {
                    return views.response(ImportPage(session: r.session, chosen: upload.kind, report: report, fileName: upload.fileName),
                                          status: .unprocessableContent)
                }
                return redirect(link("/imports", [("done", "imported"), ("rows", String(report.imported)), ("kind", upload.kind)]))
            } catch let error where FormErrors(error) != nil {
                return views.response(ImportPage(session: r.session, chosen: upload.kind, errors: FormErrors(error)), status: .unprocessableContent)
            }
        }
    }

    private func runImport(kind: String, bytes: [UInt8], fileName: String?, dryRun: Bool, by caller: Caller) async throws -> ImportReport {
        let table = try ImportInput.table(bytes, fileName: fileName)
        switch kind {
        case "estates": return try await context.imports.estates(table, dryRun: dryRun, by: caller)
        case "companies": return try await context.imports.companies(table, dryRun: dryRun, by: caller)
        case "facts": return try await context.imports.facts(table, dryRun: dryRun, by: caller)
        default: throw RouteNotFound()
        }
    }
}
