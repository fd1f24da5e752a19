#include "storage/s3/s3_target.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace sccache::storage::s3 {
namespace {

const std::string k_key = "abcdef0123";

config::S3Settings settings(std::string endpoint = "") {
  config::S3Settings s;
  s.bucket = "cache";
  s.endpoint = std::move(endpoint);
  s.access_key_id = "AKID";
  s.secret_access_key = "secret";
  return s;
}

TEST(S3Target, AwsByDefaultWithVirtualHostStyle) {
  auto t = make_target(settings());
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->region, "us-east-1");
  EXPECT_EQ(t->object_url(k_key), "https://cache.s3.us-east-1.amazonaws.com/a/b/c/abcdef0123");
  auto s = settings();
  s.region = "eu-west-1";
  s.virtual_host = false;
  s.key_prefix = "/ci/x/";
  t = make_target(s);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->object_url(k_key), "https://s3.eu-west-1.amazonaws.com/cache/ci/x/a/b/c/abcdef0123");
}

TEST(S3Target, ACustomEndpointIsPathStyleAndPlainHttpUnlessToldOtherwise) {
  auto t = make_target(settings("127.0.0.1:9000"));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->object_url(k_key), "http://127.0.0.1:9000/cache/a/b/c/abcdef0123");
  auto s = settings("https://minio.example:9000/");
  t = make_target(s);
  EXPECT_EQ(t->object_url(k_key), "https://minio.example:9000/cache/a/b/c/abcdef0123");
  s.use_ssl = false;  // SCCACHE_S3_USE_SSL wins over the scheme written
  t = make_target(s);
  EXPECT_EQ(t->base_url, "http://minio.example:9000");
  s.use_ssl = true;
  s.virtual_host = true;
  t = make_target(s);
  EXPECT_EQ(t->object_url(k_key), "https://cache.minio.example:9000/a/b/c/abcdef0123");
}

TEST(S3Target, ServerSideEncryptionHeadersAsMozillaAsksForThem) {
  auto s = settings();
  EXPECT_TRUE(make_target(s)->put_headers.empty());
  s.server_side_encryption = true;
  EXPECT_EQ(make_target(s)->put_headers,
            std::vector<std::string>{"x-amz-server-side-encryption: AES256"});
  s.server_side_encryption_kms = true;
  EXPECT_EQ(make_target(s)->put_headers,
            std::vector<std::string>{"x-amz-server-side-encryption: aws:kms"});
  s.kms_key_id = "arn:aws:kms:us-east-1:111122223333:key/1234abcd";
  EXPECT_EQ(make_target(s)->put_headers,
            (std::vector<std::string>{"x-amz-server-side-encryption: aws:kms",
                                      "x-amz-server-side-encryption-aws-kms-key-id: "
                                      "arn:aws:kms:us-east-1:111122223333:key/1234abcd"}));
  s.server_side_encryption_kms = false;  // a key id alone asks for SSE-KMS
  EXPECT_EQ(make_target(s)->put_headers.size(), 2u);
  s.kms_key_id = "key\r\nX-Injected: 1";
  EXPECT_FALSE(make_target(s));
}

TEST(S3Target, TheKeyPrefixIsPercentEncodedInTheUrl) {
  auto s = settings("127.0.0.1:9000");
  s.key_prefix = "team a/c++~x.y_z";
  auto t = make_target(s);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->object_url(k_key),
            "http://127.0.0.1:9000/cache/team%20a/c%2B%2B~x.y_z/a/b/c/abcdef0123");
}

TEST(S3Target, DescriptionNamesBucketAndEndpointButNoSecret) {
  auto t = make_target(settings("127.0.0.1:9000"));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->describe(), "S3, bucket: cache, endpoint: http://127.0.0.1:9000");
  EXPECT_EQ(t->describe().find("secret"), std::string::npos);
}

TEST(S3Target, CredentialsFileProfiles) {
  std::string text =
      "[default]\naws_access_key_id = DEF\naws_secret_access_key = defsecret\n\n"
      "; a comment\n[ci]\naws_access_key_id=CI\naws_secret_access_key=cisecret\n"
      "aws_session_token = tok\n";
  auto ci = credentials_from_ini(text, "ci");
  ASSERT_TRUE(ci) << ci.error().message;
  EXPECT_EQ(ci->access_key_id, "CI");
  EXPECT_EQ(ci->secret_access_key, "cisecret");
  EXPECT_EQ(ci->session_token, "tok");
  auto def = credentials_from_ini(text, "default");
  ASSERT_TRUE(def);
  EXPECT_EQ(def->access_key_id, "DEF");
  EXPECT_TRUE(def->session_token.empty());
  EXPECT_FALSE(credentials_from_ini(text, "missing"));
  EXPECT_FALSE(credentials_from_ini("[p]\naws_access_key_id = X\n", "p"));  // no secret
}

TEST(S3Target, EnvironmentKeysWinOverTheFileWhichWinsOverNothing) {
  auto dir = std::filesystem::temp_directory_path() / "sccache-s3-creds-test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "credentials")
      << "[build]\naws_access_key_id=FILE\naws_secret_access_key=f\n";
  auto s = settings();
  s.credentials_file = (dir / "credentials").string();
  s.profile = "build";
  EXPECT_EQ(make_target(s)->credentials.access_key_id, "AKID");
  s.access_key_id.clear();
  s.secret_access_key.clear();
  EXPECT_EQ(make_target(s)->credentials.access_key_id, "FILE");
  s.credentials_file = (dir / "absent").string();
  EXPECT_TRUE(make_target(s)->credentials.anonymous());
  s.no_credentials = true;
  s.credentials_file = (dir / "credentials").string();
  EXPECT_TRUE(make_target(s)->credentials.anonymous());
  s.no_credentials = false;
  s.access_key_id = "ONLY-ID";
  EXPECT_FALSE(make_target(s));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sccache::storage::s3
