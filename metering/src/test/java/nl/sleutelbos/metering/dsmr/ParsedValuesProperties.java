package nl.sleutelbos.metering.dsmr;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneRules;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The parser's own arithmetic (numbers read digit by digit into a long and a scale, times
 * computed from the digits and the S/W flag) against the JDK's: every number is
 * {@code new BigDecimal(text)}, scale included, on the fast path (an energy register) and the
 * general one (the threshold, an M-Bus value); every time is what java.time makes of the same
 * local time and offset, over the whole century and densely around the DST transitions, where
 * the repeated autumn hour is told apart only by the flag.
 */
class ParsedValuesProperties {

  private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");
  private static final ZoneRules RULES = AMSTERDAM.getRules();
  private static final DateTimeFormatter DIGITS = DateTimeFormatter.ofPattern("yyMMddHHmmss");
  private static final Instant FIRST = LocalDateTime.of(2000, 1, 1, 0, 0).toInstant(ZoneOffset.ofHours(1));
  private static final Instant LAST = LocalDateTime.of(2099, 12, 31, 23, 59, 59).toInstant(ZoneOffset.ofHours(1));

  private static Telegram parse(String objects) throws TelegramException {
    String upToBang = "/XYZ5\\2TEST\r\n\r\n1-3:0.2.8(50)\r\n" + objects + "!";
    return DsmrParser.parse(upToBang + Crc16Arc.format(Crc16Arc.of(upToBang)) + "\r\n");
  }

  /** A decimal as a meter may write it: 1 to 18 digits, a '.' with at least one digit after it or none. */
  @Provide
  Arbitrary<String> numbers() {
    return Arbitraries.integers().between(1, 18).flatMap(digits -> Arbitraries.integers().between(0, digits - 1)
        .flatMap(decimals -> Arbitraries.strings().numeric().ofLength(digits)
            .map(d -> decimals == 0 ? d : d.substring(0, digits - decimals) + "." + d.substring(digits - decimals))));
  }

  @Property(tries = 3000)
  void numbersAreTheBigDecimalOfTheirText(@ForAll("numbers") String number) throws TelegramException {
    Telegram t = parse("1-0:1.8.1(" + number + "*kWh)\r\n0-0:17.0.0(" + number + "*kW)\r\n"
        + "0-1:24.2.1(261126120000W)(" + number + "*m3)\r\n");
    BigDecimal expected = new BigDecimal(number);
    assertThat(t.energyDeliveredTariff1()).contains(expected); // equals: the scale too
    assertThat(t.threshold().orElseThrow().value()).isEqualTo(expected);
    assertThat(t.mbus(1).orElseThrow().value()).contains(expected);
  }

  /** Instants whose local time in Amsterdam is in 2000..2099: anywhere, or within 3 hours of a DST change. */
  @Provide
  Arbitrary<Instant> instants() {
    Arbitrary<Instant> anywhere = Arbitraries.longs().between(FIRST.getEpochSecond(), LAST.getEpochSecond())
        .map(Instant::ofEpochSecond);
    Arbitrary<Instant> nearTransition = Combinators.combine(Arbitraries.integers().between(2000, 2099),
        Arbitraries.of(3, 10), Arbitraries.integers().between(-3 * 3600, 3 * 3600)).as((year, month, offset) -> {
          Instant monthStart = LocalDateTime.of(year, month, 1, 0, 0).toInstant(ZoneOffset.UTC);
          return RULES.nextTransition(monthStart).getInstant().plusSeconds(offset);
        });
    return Arbitraries.oneOf(anywhere, nearTransition);
  }

  @Property(tries = 3000)
  void timesWithTheirFlagAreTheInstantTheMeterMeant(@ForAll("instants") Instant instant) throws TelegramException {
    ZoneOffset offset = RULES.getOffset(instant);
    String local = LocalDateTime.ofInstant(instant, offset).format(DIGITS)
        + (offset.getTotalSeconds() == 7200 ? "S" : "W");
    Telegram t = parse("0-0:1.0.0(" + local + ")\r\n0-1:24.2.1(" + local + ")(00001.000*m3)\r\n");
    assertThat(t.timestamp()).contains(instant);
    assertThat(t.mbus(1).orElseThrow().timestamp()).contains(instant);
  }

  @Property(tries = 2000)
  void theFlagAloneGivesTheOffset(@ForAll("instants") Instant instant, @ForAll boolean summer)
      throws TelegramException {
    // Whatever the date, S means UTC+2 and W UTC+1 (a meter's clock may be set wrong; it is not corrected).
    LocalDateTime local = LocalDateTime.ofInstant(instant, RULES.getOffset(instant));
    Telegram t = parse("0-0:1.0.0(" + local.format(DIGITS) + (summer ? "S" : "W") + ")\r\n");
    assertThat(t.timestamp()).contains(local.toInstant(ZoneOffset.ofHours(summer ? 2 : 1)));
  }

  @Property(tries = 2000)
  void timesWithoutAFlagAreResolvedInAmsterdam(@ForAll("instants") Instant instant) throws TelegramException {
    // DSMR 2.2/3 gas readings carry no flag: java.time's rules (in the repeated hour, the earlier offset)
    LocalDateTime local = LocalDateTime.ofInstant(instant, RULES.getOffset(instant));
    String upToBang = "/XYZ5\\2TEST\r\n\r\n0-1:24.3.0(" + local.format(DIGITS)
        + ")(08)(60)(1)(0-1:24.2.1)(m3)\r\n(00123.456)\r\n!";
    Telegram t = DsmrParser.parse(upToBang);
    assertThat(t.mbus(1).orElseThrow().timestamp()).contains(local.atZone(AMSTERDAM).toInstant());
  }
}
