#pragma once
// An S3 bucket (AWS, or an S3-compatible store) as cache storage: GET, PUT and DELETE of objects,
// signed with AWS Signature Version 4 by libcurl (CURLOPT_AWS_SIGV4), unsigned when anonymous.
#include <memory>
#include <string>
#include <vector>

#include "storage/s3/s3_target.hpp"
#include "storage/storage.hpp"

namespace sccache::storage::s3 {

util::Result<std::unique_ptr<Storage>> make_s3_storage(S3Target target);

// The headers and libcurl signing setting of one signed request, for the storage and for the
// tests that check libcurl's signatures against AWS's published vectors.
struct Signing {
  std::vector<std::string> headers;
  std::string aws_sigv4;  // empty: unsigned
};
Signing signing_for(const Credentials& credentials, const std::string& region,
                    const std::string& service);

}  // namespace sccache::storage::s3
