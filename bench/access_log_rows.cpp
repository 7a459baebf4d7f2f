// Access-log lines in the Combined Log Format, as nginx and Apache write them.
#include <string>
#include <string_view>
#include <vector>

#include "random.hpp"
#include "row_sources.hpp"
#include "text_out.hpp"

namespace fastthread::bench {
namespace {

constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::string_view kProtocols[] = {"HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/2.0", "HTTP/1.0"};
constexpr std::string_view kUsers[] = {"alice", "bob", "admin"};
constexpr std::string_view kWords[] = {"shoes", "red", "laptop", "cheap", "best", "usb-c", "cable", "gift"};
constexpr std::string_view kSlugs[] = {"hello-world", "release-notes-2-1", "how-we-scale",
                                       "postmortem-outage", "faster-csv-parsing"};
constexpr std::string_view kReferers[] = {"https://www.google.com/", "https://www.bing.com/search?q=shop",
                                          "https://duckduckgo.com/", "https://t.co/abc123",
                                          "android-app://com.google.android.gm/"};
constexpr std::string_view kAgents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 "
    "Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 "
    "Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/119.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Mobile "
    "Safari/537.36",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "curl/7.88.1",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "-"};

constexpr int kPathKinds = 14;

class AccessLogRows final : public RowSource {
 public:
  explicit AccessLogRows(std::uint64_t seed)
      : random_(seed),
        clients_(400),
        paths_(kPathKinds),
        agents_(static_cast<std::uint32_t>(std::size(kAgents))) {
    // A fixed pool of clients drawn once, so a few addresses dominate as in real traffic.
    for (int i = 0; i < 400; ++i) {
      std::string ip;
      if (i % 50 == 7) {
        ip = "2001:db8:";
        put_int(ip, random_.between(0, 9999));
        ip += "::";
        put_int(ip, random_.between(1, 9999));
      } else {
        put_int(ip, random_.between(1, 223));
        for (int part = 0; part < 3; ++part) {
          ip.push_back('.');
          put_int(ip, random_.between(0, 255));
        }
      }
      ips_.push_back(std::move(ip));
    }
  }

  void row(std::string& out) override {
    out += ips_[clients_.draw(random_)];
    out += " - ";
    out += random_.chance(5) ? random_.pick(kUsers) : "-";
    out += " [";
    time_ += random_.between(0, 2);
    timestamp(out);
    out += "] \"";
    const std::uint32_t method_roll = random_.below(100);
    const bool head = method_roll >= 97;
    out += method_roll < 85   ? "GET"
           : method_roll < 95 ? "POST"
           : method_roll < 96 ? "PUT"
           : method_roll < 97 ? "DELETE"
                              : "HEAD";
    out.push_back(' ');
    const std::uint32_t path_kind = paths_.draw(random_);
    path(out, path_kind);
    out.push_back(' ');
    out += random_.pick(kProtocols);
    out += "\" ";
    const int status = path_kind == kPathKinds - 1 ? 404 : pick_status();
    put_int(out, status);
    out.push_back(' ');
    if (head || status == 304 || status == 499 || random_.chance(1)) {
      out.push_back('-');
    } else if (status == 200 || status == 206) {
      put_int(out, random_.between(200, 250000));
    } else {
      put_int(out, random_.between(0, 600));
    }
    out += " \"";
    referer(out);
    out += "\" \"";
    out += kAgents[agents_.draw(random_)];
    out += "\"\n";
  }

 private:
  // 10/Oct/2023:13:55:36 +0000
  void timestamp(std::string& out) {
    const CivilDate d = civil_from_days(time_ / 86400);
    put_padded(out, d.day, 2);
    out.push_back('/');
    out += kMonths[d.month - 1];
    out.push_back('/');
    put_padded(out, d.year, 4);
    out.push_back(':');
    put_clock(out, time_ % 86400);
    out += " +0000";
  }

  void path(std::string& out, std::uint32_t kind) {
    switch (kind) {
      case 0:
        out += "/";
        break;
      case 1:
        out += "/static/css/main.css";
        break;
      case 2:
        out += "/static/js/app.";
        for (int i = 0; i < 8; ++i) out.push_back("0123456789abcdef"[random_.below(16)]);
        out += ".js";
        break;
      case 3:
        out += "/api/v1/users/";
        put_int(out, random_.between(1, 50000));
        break;
      case 4:
        out += "/images/products/";
        put_int(out, random_.between(1, 9999));
        out += ".jpg";
        break;
      case 5:
        out += "/favicon.ico";
        break;
      case 6:
        out += "/search?q=";
        out += random_.pick(kWords);
        out.push_back('+');
        out += random_.pick(kWords);
        break;
      case 7:
        out += "/api/v1/orders?page=";
        put_int(out, random_.between(1, 40));
        out += "&sort=desc";
        break;
      case 8:
        out += "/index.html";
        break;
      case 9:
        out += "/blog/2023/";
        put_padded(out, random_.between(1, 12), 2);
        out.push_back('/');
        out += random_.pick(kSlugs);
        break;
      case 10:
        out += "/login";
        break;
      case 11:
        out += "/robots.txt";
        break;
      case 12:
        out += "/caf%C3%A9/men%C3%BC?x=%22y%22";
        break;
      default:
        out += "/wp-login.php";
        break;  // scanners: always 404
    }
  }

  int pick_status() {
    const std::uint32_t roll = random_.below(1000);
    if (roll < 780) return 200;
    if (roll < 860) return 304;
    if (roll < 880) return 301;
    if (roll < 910) return 302;
    if (roll < 960) return 404;
    if (roll < 970) return 500;
    if (roll < 980) return 403;
    if (roll < 990) return 206;
    return 499;
  }

  void referer(std::string& out) {
    const std::uint32_t roll = random_.below(100);
    if (roll < 45) {
      out.push_back('-');
    } else if (roll < 80) {
      out += "https://shop.example.com";
      path(out, paths_.draw(random_));
    } else {
      out += random_.pick(kReferers);
    }
  }

  Random random_;
  Zipf clients_;
  Zipf paths_;
  Zipf agents_;
  std::vector<std::string> ips_;
  std::int64_t time_ = 1696896000;  // 2023-10-10T00:00:00Z
};

}  // namespace

std::unique_ptr<RowSource> make_access_log(std::uint64_t seed) {
  return std::make_unique<AccessLogRows>(seed);
}

}  // namespace fastthread::bench
