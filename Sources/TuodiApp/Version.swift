/// The release, printed by `tuodi --version` and exported as `tuodi_build_info` on /metrics.
public enum TuodiVersion {
    public static let current = "0.6.0"
}
