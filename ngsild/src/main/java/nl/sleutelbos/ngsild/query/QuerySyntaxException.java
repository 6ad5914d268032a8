package nl.sleutelbos.ngsild.query;

import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * A {@code q} parameter that is not a sentence of the NGSI-LD Query Language (clause 4.9). The
 * message says what was expected, where, and quotes the query, for example {@code q: expected a
 * value after '>=' at position 8 in "power>=;x"}. Always {@link ErrorType#BAD_REQUEST_DATA}.
 */
public final class QuerySyntaxException extends NgsiLdException {
  private final int position;

  QuerySyntaxException(String detail, int position) {
    super(ErrorType.BAD_REQUEST_DATA, detail);
    this.position = position;
  }

  /** Where the problem was found: the 1-based character (code point) position in the query. */
  public int position() {
    return position;
  }
}
