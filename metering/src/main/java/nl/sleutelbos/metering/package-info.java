/**
 * Metering: DSMR P1 telegrams (parse, write, CRC-16/ARC), the validation of readings, and the
 * telegrams the fleet simulator produces. Pure code with no storage or network, so the head-end
 * (ingest in {@code app}) and the simulator share one model of a telegram.
 */
package nl.sleutelbos.metering;
