package nl.sleutelbos.metering.dsmr;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * The telegram's time format {@code YYMMDDhhmmssX}: local time in the Netherlands, with X = S
 * (summer, UTC+2) or W (winter, UTC+1). DSMR 2.2 and 3 gas readings carry no X; their local time
 * is resolved with the Europe/Amsterdam rules (the earlier offset when the clock is turned back).
 */
final class DsmrTime {

  static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");
  private static final ZoneRules RULES = AMSTERDAM.getRules();
  private static final int SUMMER = 2 * 3600;
  private static final int WINTER = 3600;

  private DsmrTime() {
  }

  /**
   * The instant in {@code b[from, to)}, or {@code Long.MIN_VALUE} as epoch seconds when the text
   * is not a valid timestamp (kept allocation-free for the parser's hot path).
   */
  static long epochSecond(byte[] b, int from, int to) {
    int length = to - from;
    if (length != 12 && length != 13) {
      return Long.MIN_VALUE;
    }
    for (int i = from; i < from + 12; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return Long.MIN_VALUE;
      }
    }
    int year = 2000 + two(b, from);
    int month = two(b, from + 2);
    int day = two(b, from + 4);
    int hour = two(b, from + 6);
    int minute = two(b, from + 8);
    int second = two(b, from + 10);
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59
        || second > 59) {
      return Long.MIN_VALUE;
    }
    long local = daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
    if (length == 12) {
      LocalDateTime time = LocalDateTime.of(year, month, day, hour, minute, second);
      return time.atZone(AMSTERDAM).toEpochSecond();
    }
    return switch (b[from + 12]) {
      case 'S', 's' -> local - SUMMER;
      case 'W', 'w' -> local - WINTER;
      default -> Long.MIN_VALUE;
    };
  }

  /** The 13 characters {@code YYMMDDhhmmssX} of an instant in 2000..2099, local time in Amsterdam. */
  static void format(Instant instant, StringBuilder out) {
    ZoneOffset offset = RULES.getOffset(instant);
    LocalDateTime local = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, offset);
    if (local.getYear() < 2000 || local.getYear() > 2099) {
      throw new IllegalArgumentException("a telegram's year is in 2000..2099: " + instant);
    }
    if (instant.getNano() != 0) {
      throw new IllegalArgumentException("a telegram's time is in whole seconds: " + instant);
    }
    two(out, local.getYear() - 2000);
    two(out, local.getMonthValue());
    two(out, local.getDayOfMonth());
    two(out, local.getHour());
    two(out, local.getMinute());
    two(out, local.getSecond());
    out.append(offset.getTotalSeconds() == SUMMER ? 'S' : 'W');
  }

  private static void two(StringBuilder out, int value) {
    out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }

  private static int two(byte[] b, int at) {
    return (b[at] - '0') * 10 + (b[at + 1] - '0');
  }

  private static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
  private static long daysFromCivil(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097L + doe - 719_468L;
  }
}
