// Written by scripts/generate-api.sh with the code beside it: the SHA-256 of openapi.yaml
// followed by openapi-generator-config.yaml. Do not edit; run `make api`.
package let generatedContractDigest = "b17df70f33238f79b227375966faeebaa05458e801701d73e4a848bbcc083939"
