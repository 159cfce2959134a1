/// The contract itself, as served at `/openapi.yaml`: the same file the generator read.
public let openAPIDocument: [UInt8] = PackageResources.openapi_yaml
