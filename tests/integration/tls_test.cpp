// TLS in-process, so that the sanitizer builds run it too: https, wss (raw
// and SockJS framing, a message bigger than one TLS record), plain HTTP to
// the TLS port, and certificate reloads. The certificate is made here with
// OpenSSL's API (e2e.operations.tls makes one with the openssl program).
#define CAF_SUITE tls
#include "tests/integration/server_fixture.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

using namespace sockjs;
using namespace sockjs::test;

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;

struct certificate_files {
  std::string certificate;
  std::string private_key;
};

// A self-signed P-256 certificate for 127.0.0.1, written to two PEM files.
certificate_files make_certificate(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sockjs-tls-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  certificate_files files{(dir / (name + ".cert.pem")).string(),
                          (dir / (name + ".key.pem")).string()};
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* subject = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(
      subject, "CN", MBSTRING_ASC,
      reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, subject);
  X509_sign(cert, key, EVP_sha256());
  FILE* out = std::fopen(files.certificate.c_str(), "w");
  PEM_write_X509(out, cert);
  std::fclose(out);
  out = std::fopen(files.private_key.c_str(), "w");
  PEM_write_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(out);
  X509_free(cert);
  EVP_PKEY_free(key);
  return files;
}

const certificate_files& served_certificate() {
  static const auto files = make_certificate("served");
  return files;
}

server_config tls_server_config() {
  auto cfg = test_server_config();
  cfg.tls_certificate_file = served_certificate().certificate;
  cfg.tls_private_key_file = served_certificate().private_key;
  return cfg;
}

// A TLS client that trusts the served certificate only.
struct tls_client {
  explicit tls_client(std::uint16_t port) {
    context.load_verify_file(served_certificate().certificate);
    context.set_verify_mode(ssl::verify_peer);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds{5});
    beast::get_lowest_layer(stream).connect(
        {asio::ip::make_address("127.0.0.1"), port});
    stream.handshake(ssl::stream_base::client);
  }

  asio::io_context io;
  ssl::context context{ssl::context::tls_client};
  beast::ssl_stream<beast::tcp_stream> stream{io, context};
};

struct tls_fixture : server_fixture {
  tls_fixture() : server_fixture(test_settings(), tls_server_config()) {}

  http::response<http::string_body> request(http::verb method,
                                            const std::string& target,
                                            const std::string& body = {}) {
    tls_client client{port};
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.body() = body;
    req.prepare_payload();
    http::write(client.stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(client.stream, buffer, res);
    return res;
  }

  // A websocket over TLS on `target`, opened.
  struct secure_websocket {
    secure_websocket(std::uint16_t port, const std::string& target)
        : client(port), ws(std::move(client.stream)) {
      ws.handshake("127.0.0.1", target);
    }
    std::string read() {
      beast::flat_buffer buffer;
      ws.read(buffer);
      return beast::buffers_to_string(buffer.data());
    }
    tls_client client;
    websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws;
  };
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(tls_tests, tls_fixture)

CAF_TEST(https answers as http does) {
  // Each response a local: CAF_CHECK_EQUAL keeps references to its operands.
  const auto info = request(http::verb::get, "/echo/info");
  CAF_CHECK_EQUAL(info.result_int(), 200u);
  CAF_CHECK(info.body().find("\"websocket\":true") != std::string::npos);
  const auto session = session_url();
  const auto opened = request(http::verb::post, session + "/xhr");
  CAF_CHECK_EQUAL(opened.body(), "o\n");
  const auto sent = request(http::verb::post, session + "/xhr_send", "[\"x\"]");
  CAF_CHECK_EQUAL(sent.result_int(), 204u);
  const auto echoed = request(http::verb::post, session + "/xhr");
  CAF_CHECK_EQUAL(echoed.body(), "a[\"x\"]\n");
}

CAF_TEST(wss echoes raw messages small and bigger than a tls record) {
  secure_websocket raw{port, "/echo/websocket"};
  raw.ws.write(asio::buffer(std::string{"hello"}));
  CAF_CHECK_EQUAL(raw.read(), "hello");
  const std::string big(100 * 1024, 'b'); // TLS records hold 16 KiB
  raw.ws.write(asio::buffer(big));
  CAF_CHECK(raw.read() == big);
  raw.ws.close(websocket::close_code::normal);
}

CAF_TEST(wss carries sockjs sessions and their close) {
  secure_websocket echo{port, session_url() + "/websocket"};
  CAF_CHECK_EQUAL(echo.read(), "o");
  echo.ws.write(asio::buffer(std::string{"[\"over tls\"]"}));
  CAF_CHECK_EQUAL(echo.read(), "a[\"over tls\"]");
  secure_websocket closing{port, session_url("/close") + "/websocket"};
  CAF_CHECK_EQUAL(closing.read(), "o");
  CAF_CHECK_EQUAL(closing.read(), "c[3000,\"Go away!\"]");
  beast::flat_buffer buffer;
  beast::error_code ec;
  closing.ws.read(buffer, ec);
  CAF_CHECK_EQUAL(ec, beast::error_code{websocket::error::closed});
  CAF_CHECK_EQUAL(closing.ws.reason().code, 1000);
}

CAF_TEST(plain http to the tls port gets 400 and is closed) {
  tcp_client plain{port};
  plain.send_request("GET", "/echo/info");
  auto res = plain.read_response();
  CAF_CHECK_EQUAL(res.status, 400);
  CAF_CHECK(res.body.find("https://") != std::string::npos);
  CAF_CHECK(plain.closed_within(std::chrono::seconds{2}));
  const auto after = request(http::verb::get, "/echo/info");
  CAF_CHECK_EQUAL(after.result_int(), 200u); // the server serves on
}

CAF_TEST(reload keeps the old certificate when the files are bad) {
  CAF_CHECK(srv.secure());
  CAF_CHECK_EQUAL(srv.reload_tls(), "");
  const auto before = served_certificate();
  {
    std::ofstream broken{before.certificate + ".broken"};
    broken << "not a certificate\n";
  }
  std::filesystem::rename(before.certificate, before.certificate + ".good");
  std::filesystem::rename(before.certificate + ".broken", before.certificate);
  const auto problem = srv.reload_tls();
  std::filesystem::rename(before.certificate + ".good", before.certificate);
  CAF_CHECK(problem.find("TLS certificate") != std::string::npos);
  const auto after = request(http::verb::get, "/echo/info");
  CAF_CHECK_EQUAL(after.result_int(), 200u); // with the certificate it had
}

CAF_TEST_FIXTURE_SCOPE_END()
