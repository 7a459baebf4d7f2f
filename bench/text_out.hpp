// Appending numbers, dates and times as text without floating point or locale.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>

namespace fastthread::bench {

inline void put_int(std::string& out, std::int64_t value) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, result.ptr);
}

// Exactly `width` digits, zero-padded (value must fit).
inline void put_padded(std::string& out, std::int64_t value, int width) {
  char buf[20];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

// A decimal with `decimals` places from an integer count of its smallest unit:
// put_fixed(out, -12345, 2) appends "-123.45". No double is ever formatted.
inline void put_fixed(std::string& out, std::int64_t scaled, int decimals) {
  if (scaled < 0) {
    out.push_back('-');
    scaled = -scaled;
  }
  std::int64_t unit = 1;
  for (int i = 0; i < decimals; ++i) unit *= 10;
  put_int(out, scaled / unit);
  out.push_back('.');
  put_padded(out, scaled % unit, decimals);
}

struct CivilDate {
  std::int64_t year;
  int month;
  int day;
};

// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
inline CivilDate civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2), month, day};
}

// YYYY-MM-DD
inline void put_date(std::string& out, std::int64_t days) {
  const CivilDate d = civil_from_days(days);
  put_padded(out, d.year, 4);
  out.push_back('-');
  put_padded(out, d.month, 2);
  out.push_back('-');
  put_padded(out, d.day, 2);
}

// HH:MM:SS from seconds since midnight.
inline void put_clock(std::string& out, std::int64_t seconds) {
  put_padded(out, seconds / 3600, 2);
  out.push_back(':');
  put_padded(out, seconds / 60 % 60, 2);
  out.push_back(':');
  put_padded(out, seconds % 60, 2);
}

// YYYY-MM-DD<sep>HH:MM:SS from seconds since the epoch (UTC).
inline void put_datetime(std::string& out, std::int64_t seconds, char separator) {
  put_date(out, seconds / 86400);
  out.push_back(separator);
  put_clock(out, seconds % 86400);
}

}  // namespace fastthread::bench
