/// The version of kzqa, printed by `kzqa --version` with the index schema and analyzer it reads.
public enum KZQAVersion {
    public static let string = "0.3.0"
}
