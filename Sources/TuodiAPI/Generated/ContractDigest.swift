// Written by scripts/generate-api.sh with the code beside it: the SHA-256 of openapi.yaml
// followed by openapi-generator-config.yaml. Do not edit; run `make api`.
package let generatedContractDigest = "59a044f9c66dc92b0e052b95949942647fc72f9a711d265ddb01e07175225cb4"
