package nl.sleutelbos.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import nl.sleutelbos.metering.dsmr.DsmrParser;
import nl.sleutelbos.metering.dsmr.MbusReading;
import nl.sleutelbos.metering.dsmr.PhaseReadings;
import nl.sleutelbos.metering.dsmr.PowerFailure;
import nl.sleutelbos.metering.dsmr.Telegram;
import nl.sleutelbos.metering.dsmr.TelegramException;
import nl.sleutelbos.metering.dsmr.TelegramWriter;
import nl.sleutelbos.metering.dsmr.Unit;
import nl.sleutelbos.metering.validation.ConnectionCapacity;
import nl.sleutelbos.metering.validation.MeterState;
import nl.sleutelbos.metering.validation.ReadingValidator;
import nl.sleutelbos.metering.validation.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Telegrams per second on one core through the DSMR P1 parser. The workload is a realistic
 * three-phase DSMR 5 telegram with a gas meter on M-Bus channel 1, two entries in the power
 * failure log and an empty text message: 36 objects, 913 bytes, CRC-16/ARC verified. {@code
 * parseBytes} is what MQTT ingest does (payload bytes); {@code parseString} what HTTP text/plain
 * ingest does; {@code write} is the simulator's cost per telegram; {@code validate} adds the
 * {@code ReadingValidator} checks against the previous state to a parse (the head-end's full
 * per-telegram work before storage).
 * <pre>
 * java -jar bench/target/benchmarks.jar DsmrParserBenchmark -rf json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DsmrParserBenchmark {
  private Telegram telegram;
  private byte[] bytes;
  private String text;
  private ReadingValidator validator;
  private Optional<MeterState> previous;
  private ConnectionCapacity capacity;
  private Instant receivedAt;

  /** The workload telegram (also used by the smoke test to check its shape). */
  static Telegram workload() {
    Instant time = Instant.parse("2026-11-26T11:15:00Z");
    return Telegram.builder("/ISk5\\2MT382-1000").version("50").timestamp(time)
        .equipmentId("E0044007131610217")
        .energyDeliveredTariff1(new BigDecimal("004512.271")).energyDeliveredTariff2(new BigDecimal("003901.804"))
        .energyReturnedTariff1(new BigDecimal("001203.116")).energyReturnedTariff2(new BigDecimal("002710.450"))
        .tariffIndicator(2).powerDelivered(new BigDecimal("01.193")).powerReturned(new BigDecimal("00.000"))
        .shortPowerFailures(4L).longPowerFailures(2L)
        .addPowerFailure(new PowerFailure(Instant.parse("2025-12-08T14:24:15Z"), Duration.ofSeconds(240)))
        .addPowerFailure(new PowerFailure(Instant.parse("2024-06-08T14:10:04Z"), Duration.ofSeconds(301)))
        .l1(phase("229.8", "3", "00.611", 2)).l2(phase("231.1", "2", "00.402", 1)).l3(phase("230.4", "1", "00.180", 0))
        .textMessage("")
        .mbus(MbusReading.of(1, MbusReading.GAS, "G0019340221198415", Instant.parse("2026-11-26T11:00:00Z"),
            new BigDecimal("02785.123"), Unit.M3))
        .build();
  }

  private static PhaseReadings phase(String volts, String amperes, String kw, long sags) {
    return new PhaseReadings(Optional.of(new BigDecimal(volts)), Optional.of(new BigDecimal(amperes)),
        Optional.of(new BigDecimal(kw)), Optional.of(new BigDecimal("00.000")), Optional.of(sags), Optional.of(0L));
  }

  @Setup(Level.Trial)
  public void setUp() throws TelegramException {
    text = TelegramWriter.write(workload());
    bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    telegram = DsmrParser.parse(bytes);
    validator = new ReadingValidator();
    capacity = ConnectionCapacity.parse("3x25A");
    Instant before = telegram.timestamp().orElseThrow().minusSeconds(900);
    previous = Optional.of(validator.validate(Optional.empty(), capacity, before,
        telegram.toBuilder().timestamp(before).build()).next());
    receivedAt = telegram.timestamp().orElseThrow().plusSeconds(1);
  }

  @Benchmark
  public Telegram parseBytes() throws TelegramException {
    return DsmrParser.parse(bytes);
  }

  @Benchmark
  public Telegram parseString() throws TelegramException {
    return DsmrParser.parse(text);
  }

  @Benchmark
  public String write() {
    return TelegramWriter.write(telegram);
  }

  @Benchmark
  public Verdict validate() {
    return validator.validate(previous, capacity, receivedAt, bytes);
  }
}
