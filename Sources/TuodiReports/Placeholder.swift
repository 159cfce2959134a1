/// Renders reports (the quarterly return in XLSX, CSV, JSON, XML and HTML). Empty until the
/// coverage issue; the module exists now so the dependency graph is fixed from the start.
public enum Reports {}
