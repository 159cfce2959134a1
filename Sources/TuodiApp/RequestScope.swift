import Logging

/// The request a piece of work belongs to, carried as a task-local so that every log line a use
/// case writes names the same request id as the server's access-log line for that request.
public enum RequestScope {
    @TaskLocal public static var id: String?

    /// Adds `hb.request.id` (Hummingbird's own key) to every log line written inside a request.
    public static let metadataProvider = Logger.MetadataProvider {
        guard let id = RequestScope.id else { return [:] }
        return ["hb.request.id": .string(id)]
    }
}
