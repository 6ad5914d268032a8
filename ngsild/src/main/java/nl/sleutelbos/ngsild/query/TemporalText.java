package nl.sleutelbos.ngsild.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the DateTime, Date and Time texts of clause 4.6.3, both in queries and in entity values. A
 * text is one of them only if it has the shape of {@link Lexical} and names a real instant, day or
 * time of day ({@code 2026-02-30} is not a date). A DateTime without a zone is taken as UTC.
 */
final class TemporalText {
  private TemporalText() {}

  static Optional<Instant> dateTime(String text) {
    if (!Lexical.DATE_TIME.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      if (hasZone(text)) {
        return Optional.of(OffsetDateTime.parse(text).toInstant());
      }
      return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static Optional<LocalDate> date(String text) {
    if (!Lexical.DATE.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static Optional<LocalTime> time(String text) {
    if (!Lexical.TIME.matcher(text).matches()) {
      return Optional.empty();
    }
    String local = text.endsWith("Z") ? text.substring(0, text.length() - 1) : text;
    try {
      return Optional.of(LocalTime.parse(local));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static boolean hasZone(String text) {
    // The date part holds '-' too; a zone sign can only come after the 'T'.
    int t = text.indexOf('T');
    return text.endsWith("Z") || text.indexOf('+', t) > 0 || text.indexOf('-', t) > 0;
  }
}
