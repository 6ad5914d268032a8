package nl.sleutelbos.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import nl.sleutelbos.metering.dsmr.DsmrParser;
import nl.sleutelbos.metering.dsmr.TelegramException;
import nl.sleutelbos.metering.dsmr.TelegramWriter;

/**
 * A companion to {@link DsmrParserBenchmark} for a shared machine: parses the same workload
 * telegram in rounds and reports, per round, the thread's CPU time per telegram beside the wall
 * time. When other processes take the core, wall-clock figures (JMH's) fall with the load; CPU
 * time per telegram stays close to what one core delivers (hyper-threading siblings and caches
 * still interfere, so it remains an estimate — JMH on a quiet machine is the figure of record).
 * <pre>
 * java -cp bench/target/benchmarks.jar nl.sleutelbos.bench.DsmrParseCpuTime [rounds] [telegrams per round]
 * </pre>
 */
public final class DsmrParseCpuTime {
  private DsmrParseCpuTime() {
  }

  public static void main(String[] args) throws TelegramException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
    byte[] telegram = TelegramWriter.write(DsmrParserBenchmark.workload()).getBytes(StandardCharsets.ISO_8859_1);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sink = 0;
    System.out.println("round  cpu ns/telegram  telegrams/s of CPU  wall ns/telegram");
    for (int round = 0; round < rounds; round++) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      for (int i = 0; i < perRound; i++) {
        sink += DsmrParser.parse(telegram).mbus().size();
      }
      double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / (double) perRound;
      double wall = (System.nanoTime() - wall0) / (double) perRound;
      System.out.printf("%5d  %15.0f  %18.0f  %16.0f%n", round, cpu, 1e9 / cpu, wall);
    }
    if (sink != (long) rounds * perRound) {
      throw new IllegalStateException("the workload lost its gas meter");
    }
  }
}
