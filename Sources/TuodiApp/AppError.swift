import TuodiDomain
import TuodiStore

/// A refused request, in terms the HTTP and CLI layers each map in one place.
public enum AppError: Error, Equatable, Sendable {
    /// Input broke field rules; nothing was changed.
    case validation([FieldError])
    /// The request collides with what exists (`rule` names the rule, e.g. `duplicate`).
    case conflict(rule: RefusalRule, message: String)
    /// No such record (or not one the caller may see).
    case notFound(entity: String, key: String)
    /// The service cannot answer now (database down, schema not current).
    case unavailable(String)
    /// The database kept aborting the change for reasons of timing (deadlocks); nothing was
    /// written and the same request, sent again, should go through.
    case busy(String)
    /// No valid credentials (missing, wrong, expired or revoked token; wrong password; locked).
    case unauthenticated(String)
    /// Authenticated, but the role may not do this.
    case forbidden(String)

    /// Translates errors from lower layers (the domain's validation, the store's refusals) into
    /// app errors; passes others through. The HTTP and CLI mappings call it too, so a domain
    /// error that reaches them outside a use case is still answered for what it is.
    public static func translating(_ error: any Error) -> any Error {
        switch error {
        case let v as ValidationFailure: AppError.validation(v.errors)
        case StoreError.duplicate(let entity, let key):
            AppError.conflict(rule: .duplicate, message: "\(entityName(entity))“\(key)”已存在")
        case StoreError.refused(let rule, let detail): AppError.conflict(rule: rule, message: detail)
        case StoreError.unreachable: AppError.unavailable("数据库无法连接，请稍后重试；本次未写入任何数据")
        case StoreError.lostAtCommit:
            AppError.unavailable("提交时与数据库的连接中断：本次修改可能已保存，也可能没有；请先查看结果，再决定是否重新提交")
        case StoreError.busy: AppError.busy("数据库正忙于处理同时提交的其他修改，本次未写入任何数据，请稍后重试")
        default: error
        }
    }

    static func entityName(_ entity: String) -> String {
        switch entity {
        case "company": "统一社会信用代码"
        case "user": "用户名"
        case "estate": "小区编码"
        case "managementFactCorrection": "该记录已被更正，更正记录"
        case "application": "申请"
        case "bid": "该企业在本轮的投标"
        case "invitation": "邀请"
        default: entity
        }
    }
}

/// Runs `body`, translating store and domain errors into `AppError`.
func translatingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch { throw AppError.translating(error) }
}
